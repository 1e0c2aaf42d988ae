package io.thanosj.tsdb.chunk;

import java.util.Arrays;

/**
 * A reusable list of chunk metadata (reference, first and last sample time) in primitive arrays,
 * filled by index decoders for one series at a time, as Prometheus's {@code []chunks.Meta} that the
 * caller passes in.
 */
public final class ChunkMetas {
    private long[] refs;
    private long[] mints;
    private long[] maxts;
    private int size;

    public ChunkMetas() {
        this(8);
    }

    public ChunkMetas(int capacity) {
        refs = new long[Math.max(1, capacity)];
        mints = new long[refs.length];
        maxts = new long[refs.length];
    }

    public ChunkMetas clear() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void add(long ref, long minTime, long maxTime) {
        if (size == refs.length) {
            int n = refs.length * 2;
            refs = Arrays.copyOf(refs, n);
            mints = Arrays.copyOf(mints, n);
            maxts = Arrays.copyOf(maxts, n);
        }
        refs[size] = ref;
        mints[size] = minTime;
        maxts[size] = maxTime;
        size++;
    }

    public long ref(int i) {
        return refs[i];
    }

    public long minTime(int i) {
        return mints[i];
    }

    public long maxTime(int i) {
        return maxts[i];
    }

    /** Keeps only chunks overlapping the closed interval {@code [mint, maxt]}, in order. */
    public void retainOverlapping(long mint, long maxt) {
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (maxts[i] >= mint && mints[i] <= maxt) {
                refs[w] = refs[i];
                mints[w] = mints[i];
                maxts[w] = maxts[i];
                w++;
            }
        }
        size = w;
    }

    public void copyFrom(ChunkMetas o) {
        clear();
        for (int i = 0; i < o.size; i++) {
            add(o.refs[i], o.mints[i], o.maxts[i]);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(refs[i]).append('@').append(mints[i]).append("..").append(maxts[i]);
        }
        return sb.append(']').toString();
    }
}
