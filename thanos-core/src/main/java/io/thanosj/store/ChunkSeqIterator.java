package io.thanosj.store;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.tsdb.chunk.XorChunk;
import java.util.List;

/**
 * Samples of a run of chunks sorted by time and not overlapping, limited to [mint, maxt]. Chunks
 * are decoded one at a time, and skipped undecoded when a seek passes them.
 */
final class ChunkSeqIterator implements SampleIterator {
    private final List<AggrChunk> chunks;
    private final long mint;
    private final long maxt;
    private int nextChunk;
    private SampleIterator cur; // null: no chunk open
    private SampleIterator spare; // last iterator made, reused for the next chunk
    private boolean has;
    private boolean done;
    private long t;

    ChunkSeqIterator(List<AggrChunk> chunks, long mint, long maxt) {
        this.chunks = chunks;
        this.mint = mint;
        this.maxt = maxt;
    }

    @Override
    public boolean next() {
        if (!has) {
            return seek(mint);
        }
        if (done) {
            return false;
        }
        while (true) {
            if (cur != null && cur.next()) {
                return accept(cur.t());
            }
            if (!open(mint)) {
                return finish();
            }
            if (cur.seek(mint)) {
                return accept(cur.t());
            }
        }
    }

    @Override
    public boolean seek(long target) {
        if (done) {
            return false;
        }
        long want = Math.max(target, mint);
        if (has && t >= want) {
            return true;
        }
        while (true) {
            if (cur == null && !open(want)) {
                return finish();
            }
            if (cur.seek(want)) {
                return accept(cur.t());
            }
            cur = null;
        }
    }

    private boolean accept(long ts) {
        if (ts > maxt) {
            return finish();
        }
        t = ts;
        has = true;
        return true;
    }

    private boolean finish() {
        done = true;
        has = true; // so next() does not restart
        return false;
    }

    /** Opens the next chunk that can hold samples at or after {@code from}. */
    private boolean open(long from) {
        while (nextChunk < chunks.size()) {
            AggrChunk c = chunks.get(nextChunk++);
            if (c.getMaxTime() < from) {
                continue;
            }
            if (c.getMinTime() > maxt) {
                nextChunk = chunks.size();
                return false;
            }
            cur = decode(c, cur != null ? cur : spare);
            spare = cur;
            return true;
        }
        return false;
    }

    static SampleIterator decode(AggrChunk c, SampleIterator reuse) {
        if (!c.hasRaw()) {
            throw new ThanosException(ErrorCode.EXECUTION, "decode series: chunk [" + c.getMinTime() + ", "
                    + c.getMaxTime() + "] has no raw data; deduplication of downsampled data is not supported");
        }
        Chunk raw = c.getRaw();
        if (raw.getType() != Chunk.Encoding.XOR) {
            throw new ThanosException(ErrorCode.EXECUTION, "decode series: chunk [" + c.getMinTime() + ", "
                    + c.getMaxTime() + "] has encoding " + raw.getType() + ", only XOR float chunks can be deduplicated");
        }
        return XorChunk.wrap(raw.getData().toByteArray()).iterator(reuse);
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return cur.v();
    }
}
