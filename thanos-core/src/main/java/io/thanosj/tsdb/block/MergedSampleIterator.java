package io.thanosj.tsdb.block;

import io.thanosj.model.SampleIterator;

/**
 * Merges sample iterators by timestamp; when several have a sample at the same timestamp the one from
 * the lowest-numbered source wins and the others are dropped (vertical compaction of overlapping
 * data, where replicas carry identical samples). Linear over the few sources of one series.
 */
final class MergedSampleIterator implements SampleIterator {
    private final SampleIterator[] its;
    private final boolean[] live;
    private long t;
    private double v;
    private boolean started;
    private boolean done;

    MergedSampleIterator(SampleIterator[] its) {
        this.its = its;
        this.live = new boolean[its.length];
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < its.length; i++) {
                live[i] = its[i].next();
            }
        } else {
            for (int i = 0; i < its.length; i++) {
                if (live[i] && its[i].t() == t) {
                    live[i] = its[i].next();
                }
            }
        }
        int best = -1;
        for (int i = 0; i < its.length; i++) {
            if (live[i] && (best < 0 || its[i].t() < its[best].t())) {
                best = i;
            }
        }
        if (best < 0) {
            done = true;
            return false;
        }
        t = its[best].t();
        v = its[best].v();
        return true;
    }

    @Override
    public boolean seek(long ts) {
        if (done) {
            return false;
        }
        return SampleIterator.stepTo(this, started, ts);
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return v;
    }
}
