package io.thanosj.promql.engine;

import io.thanosj.model.Labels;

/**
 * One series of an instant vector evaluated over a step grid: a value per step and a bitmap of the
 * steps where the series has a value. Operators work on these arrays in one pass per series.
 */
final class StepSeries {
    Labels labels;
    final double[] v;
    final long[] bits;

    StepSeries(Labels labels, int steps) {
        this.labels = labels;
        this.v = new double[steps];
        this.bits = new long[(steps + 63) >>> 6];
    }

    boolean has(int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    void set(int i, double x) {
        v[i] = x;
        bits[i >>> 6] |= 1L << i;
    }

    void clear(int i) {
        bits[i >>> 6] &= ~(1L << i);
    }

    boolean isEmpty() {
        for (long w : bits) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    int count() {
        int c = 0;
        for (long w : bits) {
            c += Long.bitCount(w);
        }
        return c;
    }

    /** True when both series have a value at some common step. */
    boolean overlaps(StepSeries o) {
        for (int i = 0; i < bits.length; i++) {
            if ((bits[i] & o.bits[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Copies the other series' values into this one at the steps where the other has them. */
    void mergeFrom(StepSeries o) {
        for (int w = 0; w < bits.length; w++) {
            long b = o.bits[w];
            bits[w] |= b;
            while (b != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(b);
                v[i] = o.v[i];
                b &= b - 1;
            }
        }
    }
}
