package io.thanosj.model;

/**
 * A primitive cursor over samples in timestamp order: the one shape shared by chunk decoders,
 * StoreAPI streams, deduplication and the PromQL engine, so samples never become objects.
 * Failures (corrupt data, a broken stream) are thrown as {@link ThanosException}.
 */
public interface SampleIterator {
    /** Advances to the next sample; false when there is none. */
    boolean next();

    /**
     * Advances to the first sample with timestamp {@code >= t}; stays put if the current sample
     * already qualifies. False when there is none.
     */
    boolean seek(long t);

    /** Timestamp in milliseconds of the current sample. */
    long t();

    /** Value of the current sample. */
    double v();

    /**
     * Bulk {@link #next}: copies the current sample and those after it whose timestamps are at most
     * {@code maxt} into {@code ts} and {@code vs} from index {@code off}, at most {@code len > 0} of
     * them, and moves to the first sample not copied. Returns how many were copied, or {@code -c - 1}
     * for {@code c} copied when no sample is left. The iterator must be on a sample: the last
     * {@code next} or {@code seek} returned true. Decoders override it to copy without a call per sample.
     */
    default int drain(long maxt, long[] ts, double[] vs, int off, int len) {
        int c = 0;
        while (c < len) {
            long t = t();
            if (t > maxt) {
                return c;
            }
            ts[off + c] = t;
            vs[off + c] = v();
            c++;
            if (!next()) {
                return -c - 1;
            }
        }
        return c;
    }

    /**
     * {@link #seek} for iterators that can only step: stays when {@code positioned} on a sample at
     * or after {@code target}, else steps until one is.
     */
    static boolean stepTo(SampleIterator it, boolean positioned, long target) {
        if (positioned && it.t() >= target) {
            return true;
        }
        while (it.next()) {
            if (it.t() >= target) {
                return true;
            }
        }
        return false;
    }

    SampleIterator EMPTY = new SampleIterator() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public boolean seek(long t) {
            return false;
        }

        @Override
        public long t() {
            throw new IllegalStateException("empty iterator");
        }

        @Override
        public double v() {
            throw new IllegalStateException("empty iterator");
        }
    };
}
