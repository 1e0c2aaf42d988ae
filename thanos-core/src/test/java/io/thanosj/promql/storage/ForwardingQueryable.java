package io.thanosj.promql.storage;

import io.thanosj.model.Matcher;
import java.util.List;

/** A queryable that hands every call to another; tests override the calls they observe or alter. */
public class ForwardingQueryable implements Queryable {
    protected final Queryable in;

    public ForwardingQueryable(Queryable in) {
        this.in = in;
    }

    @Override
    public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
        return in.select(hints, matchers);
    }

    @Override
    public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
        return in.labelNames(mint, maxt, matchers);
    }

    @Override
    public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
        return in.labelValues(name, mint, maxt, matchers);
    }
}
