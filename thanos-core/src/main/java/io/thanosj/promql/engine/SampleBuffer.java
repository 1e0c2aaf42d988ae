package io.thanosj.promql.engine;

import io.thanosj.model.SampleIterator;
import java.util.Arrays;

/** One series' raw samples as parallel arrays, reused from series to series. */
final class SampleBuffer {
    long[] t;
    double[] v;
    int n;

    /** A buffer with room for {@code capacity} samples (at least 1) before it grows. */
    SampleBuffer(int capacity) {
        t = new long[Math.max(1, capacity)];
        v = new double[t.length];
    }

    /**
     * Reads the samples of {@code it} in {@code [mint, maxt]}. {@code room} is how many samples the
     * query may still hold: the buffer fails the query before it grows past it, so one huge series
     * cannot exhaust the heap before the limit is checked.
     */
    void load(SampleIterator it, long mint, long maxt, boolean dropStale, long room) {
        n = 0;
        if (!it.seek(mint)) {
            return;
        }
        while (true) {
            int r = it.drain(maxt, t, v, n, t.length - n);
            if (r < 0) {
                n += -r - 1;
                break;
            }
            n += r;
            if (n < t.length || it.t() > maxt) {
                break;
            }
            if (n >= room) {
                throw Evaluator.tooManySamples();
            }
            t = Arrays.copyOf(t, n * 2);
            v = Arrays.copyOf(v, n * 2);
        }
        if (dropStale) {
            dropStale();
        }
    }

    /** Removes staleness markers, which end a series for instant selectors but are no sample in a range. */
    private void dropStale() {
        int w = 0;
        while (w < n && !Evaluator.isStale(v[w])) {
            w++;
        }
        for (int i = w + 1; i < n; i++) {
            if (!Evaluator.isStale(v[i])) {
                t[w] = t[i];
                v[w] = v[i];
                w++;
            }
        }
        n = w;
    }
}
