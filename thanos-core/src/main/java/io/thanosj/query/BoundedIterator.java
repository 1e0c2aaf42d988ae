package io.thanosj.query;

import io.thanosj.model.SampleIterator;

/** The samples of an iterator within [mint, maxt]: what deduplication expects of a replica run. */
final class BoundedIterator implements SampleIterator {
    private final SampleIterator in;
    private final long mint;
    private final long maxt;
    private boolean started;
    private boolean done;

    BoundedIterator(SampleIterator in, long mint, long maxt) {
        this.in = in;
        this.mint = mint;
        this.maxt = maxt;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (!started) {
            return seek(mint);
        }
        return check(in.next());
    }

    @Override
    public boolean seek(long target) {
        if (done) {
            return false;
        }
        started = true;
        return check(in.seek(Math.max(target, mint)));
    }

    private boolean check(boolean ok) {
        if (!ok || in.t() > maxt) {
            done = true;
            return false;
        }
        return true;
    }

    @Override
    public long t() {
        return in.t();
    }

    @Override
    public double v() {
        return in.v();
    }
}
