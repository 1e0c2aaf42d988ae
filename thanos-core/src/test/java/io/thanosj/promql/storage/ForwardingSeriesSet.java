package io.thanosj.promql.storage;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import java.util.List;

/** A series set that hands every call to another; tests override the calls they observe or alter. */
public class ForwardingSeriesSet implements SeriesSet {
    protected final SeriesSet in;

    public ForwardingSeriesSet(SeriesSet in) {
        this.in = in;
    }

    @Override
    public boolean next() {
        return in.next();
    }

    @Override
    public Labels labels() {
        return in.labels();
    }

    @Override
    public SampleIterator iterator() {
        return in.iterator();
    }

    @Override
    public List<String> warnings() {
        return in.warnings();
    }

    @Override
    public void close() {
        in.close();
    }
}
