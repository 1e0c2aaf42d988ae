package io.thanosj.store;

import io.thanosj.model.SampleIterator;

/**
 * A replica's samples as the penalty algorithm reads them: a sample iterator that can also be
 * told the value last returned before the algorithm switched to it, to correct a counter that
 * this replica saw lower (it missed increments while the other replica was followed).
 */
abstract class ReplicaCursor implements SampleIterator {
    /** Called on the replica taken over, positioned on its first sample after the switch. */
    abstract void adjust(double lastValue);

    static ReplicaCursor of(SampleIterator it, boolean counter) {
        return counter ? new Counter(it) : new Plain(it);
    }

    private static class Plain extends ReplicaCursor {
        final SampleIterator it;

        Plain(SampleIterator it) {
            this.it = it;
        }

        @Override
        public boolean next() {
            return it.next();
        }

        @Override
        public boolean seek(long t) {
            return it.seek(t);
        }

        @Override
        public long t() {
            return it.t();
        }

        @Override
        public double v() {
            return it.v();
        }

        @Override
        void adjust(double lastValue) {
            // Gauges: values are taken as they are.
        }
    }

    /** Adds the shortfall seen at switches, so the stitched counter never decreases there. */
    private static final class Counter extends Plain {
        private double offset;

        Counter(SampleIterator it) {
            super(it);
        }

        @Override
        public double v() {
            return it.v() + offset;
        }

        @Override
        void adjust(double lastValue) {
            double v = v();
            if (lastValue > v) {
                offset += lastValue - v;
            }
        }
    }
}
