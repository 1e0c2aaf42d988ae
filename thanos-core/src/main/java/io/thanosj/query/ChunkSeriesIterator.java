package io.thanosj.query;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.store.SeriesChunks;
import java.util.List;

/**
 * Samples of one series read from its chunks in min-time order, decoding one chunk at a time.
 * Chunks from several blocks or stores may overlap; a sample at or before the last one returned
 * is skipped, so the result is strictly increasing in time. Raw chunks are read as they are,
 * downsampled ones in a {@link ChunkView} (see {@link ChunkDecoder}).
 */
final class ChunkSeriesIterator implements SampleIterator {
    private final ChunkDecoder decoder;
    private final int size;
    private int next;
    private SampleIterator cur = SampleIterator.EMPTY;
    private long t = Long.MIN_VALUE;
    private double v;

    /** Raw chunks, downsampled ones read as averages (the default view). */
    ChunkSeriesIterator(List<AggrChunk> chunks) {
        this(chunks, ChunkView.AVERAGE, null);
    }

    ChunkSeriesIterator(List<AggrChunk> chunks, ChunkView view, Labels series) {
        this.decoder = new ChunkDecoder(chunks, view, series);
        this.size = chunks.size();
    }

    /**
     * The samples of a series as a query in {@code view} reads them. Counters with downsampled
     * chunks get Thanos's counter-reset handling; series of raw chunks only are left to PromQL,
     * which handles resets itself (and so keeps {@code resets()} right).
     */
    static SampleIterator of(List<AggrChunk> chunks, ChunkView view, Labels series) {
        if (view == ChunkView.COUNTER && hasDownsampled(chunks)) {
            return new CounterSeriesIterator(chunks, series);
        }
        return new ChunkSeriesIterator(chunks, view, series);
    }

    /** True when some chunk has no raw data (downsampled, or empty). */
    static boolean hasDownsampled(List<AggrChunk> chunks) {
        if (chunks instanceof SeriesChunks c) {
            for (int i = 0, n = c.size(); i < n; i++) {
                if (!c.plain(i) || !c.hasRaw(i)) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0, n = chunks.size(); i < n; i++) {
            if (!chunks.get(i).hasRaw()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean next() {
        while (true) {
            while (cur.next()) {
                long ct = cur.t();
                if (ct > t) {
                    t = ct;
                    v = cur.v();
                    return true;
                }
            }
            if (next >= size) {
                return false;
            }
            cur = decoder.open(next++);
        }
    }

    @Override
    public boolean seek(long target) {
        if (t >= target && t != Long.MIN_VALUE) {
            return true;
        }
        // Chunks not yet opened that end before the target cannot hold it: skip them undecoded.
        while (next < size && decoder.maxTime(next) < target) {
            next++;
        }
        // Samples of one chunk increase, so the chunk's own seek finds the first one past both the
        // target and the last sample returned, without handing out each one before it.
        long from = t == Long.MIN_VALUE ? target : Math.max(target, t + 1);
        while (true) {
            if (cur.seek(from)) {
                t = cur.t();
                v = cur.v();
                return true;
            }
            if (next >= size) {
                return false;
            }
            cur = decoder.open(next++);
        }
    }

    @Override
    public int drain(long maxt, long[] ts, double[] vs, int off, int len) {
        int c = 0;
        while (true) {
            int r = cur.drain(maxt, ts, vs, off + c, len - c);
            if (r >= 0) {
                c += r;
                // On a sample past maxt or the first one not copied.
                t = cur.t();
                v = cur.v();
                return c;
            }
            c += -r - 1;
            // The chunk ran out: on to the first sample of the next chunks after the last one copied.
            long after = ts[off + c - 1];
            do {
                if (next >= size) {
                    t = after;
                    return -c - 1;
                }
                cur = decoder.open(next++);
            } while (!cur.seek(after + 1));
            t = cur.t();
            v = cur.v();
            if (c == len) {
                return c;
            }
        }
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
