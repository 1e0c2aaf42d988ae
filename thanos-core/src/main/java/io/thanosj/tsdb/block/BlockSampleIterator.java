package io.thanosj.tsdb.block;

import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkReader;
import java.util.List;

/**
 * Samples of one series across its chunks, restricted to {@code [mint, maxt]} and skipping deleted
 * intervals. Chunks are loaded lazily, one at a time, and seeks skip whole chunks by their metadata.
 */
final class BlockSampleIterator implements SampleIterator {
    private ChunkReader reader;
    private ChunkMetas metas;
    private long mint;
    private long maxt;
    private List<Interval> deleted;
    private int next;
    private SampleIterator cur;
    private SampleIterator reuse;
    private boolean done;

    void reset(ChunkReader r, ChunkMetas m, long min, long max, List<Interval> del) {
        reader = r;
        metas = m;
        mint = min;
        maxt = max;
        deleted = del;
        next = 0;
        cur = null;
        done = false;
    }

    private boolean openNext(long atLeast) {
        while (next < metas.size()) {
            int i = next++;
            if (metas.maxTime(i) < atLeast || metas.maxTime(i) < mint) {
                continue;
            }
            if (metas.minTime(i) > maxt) {
                next = metas.size();
                return false;
            }
            cur = reuse = reader.chunk(metas.ref(i)).iterator(reuse);
            return true;
        }
        return false;
    }

    private boolean deleted(long t) {
        for (int i = 0; i < deleted.size(); i++) {
            Interval iv = deleted.get(i);
            if (iv.contains(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        while (true) {
            if (cur == null && !openNext(Long.MIN_VALUE)) {
                done = true;
                return false;
            }
            if (cur.next()) {
                long t = cur.t();
                if (t < mint || (!deleted.isEmpty() && deleted(t))) {
                    continue;
                }
                if (t > maxt) {
                    done = true;
                    return false;
                }
                return true;
            }
            cur = null;
        }
    }

    @Override
    public boolean seek(long t) {
        if (done) {
            return false;
        }
        if (cur != null && cur.t() >= t && cur.t() >= mint) {
            return true;
        }
        long target = Math.max(t, mint);
        while (true) {
            if (cur == null && !openNext(target)) {
                done = true;
                return false;
            }
            if (cur.seek(target)) {
                long ts = cur.t();
                if (ts > maxt) {
                    done = true;
                    return false;
                }
                if (!deleted.isEmpty() && deleted(ts)) {
                    return next();
                }
                return true;
            }
            cur = null;
        }
    }

    @Override
    public long t() {
        return cur.t();
    }

    @Override
    public double v() {
        return cur.v();
    }
}
