package io.thanosj.tsdb.block;

/** A closed time interval {@code [mint, maxt]} in milliseconds, as in Prometheus's tombstones. */
public record Interval(long mint, long maxt) {
    public boolean contains(long t) {
        return t >= mint && t <= maxt;
    }

    /** True when the two intervals share a point or touch (so they can be merged into one). */
    public boolean touches(Interval o) {
        return o.mint <= (maxt == Long.MAX_VALUE ? maxt : maxt + 1) && mint <= (o.maxt == Long.MAX_VALUE ? o.maxt : o.maxt + 1);
    }
}
