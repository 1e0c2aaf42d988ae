package io.thanosj.query;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.tsdb.chunk.XorChunk;
import java.util.List;

/**
 * Samples of one series read from its chunks in min-time order, decoding one chunk at a time.
 * Chunks from several blocks or stores may overlap; a sample at or before the last one returned
 * is skipped, so the result is strictly increasing in time.
 */
final class ChunkSeriesIterator implements SampleIterator {
    private final List<AggrChunk> chunks;
    private int next;
    private SampleIterator cur = SampleIterator.EMPTY;
    private long t = Long.MIN_VALUE;
    private double v;
    // Chunk bytes are copied here, one chunk at a time: a ByteString does not expose its array.
    private byte[] buf = new byte[256];

    ChunkSeriesIterator(List<AggrChunk> chunks) {
        this.chunks = chunks;
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
            if (next >= chunks.size()) {
                return false;
            }
            cur = open(chunks.get(next++));
        }
    }

    @Override
    public boolean seek(long target) {
        if (t >= target && t != Long.MIN_VALUE) {
            return true;
        }
        // Chunks not yet opened that end before the target cannot hold it: skip them undecoded.
        while (next < chunks.size() && chunks.get(next).getMaxTime() < target) {
            next++;
        }
        while (next()) {
            if (t >= target) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return v;
    }

    private SampleIterator open(AggrChunk c) {
        if (!c.hasRaw()) {
            throw new ThanosException(io.thanosj.model.ErrorCode.INTERNAL,
                    "decode series: chunk [" + c.getMinTime() + ", " + c.getMaxTime() + "] has no raw data; downsampled aggregates are not supported by this querier yet");
        }
        Chunk raw = c.getRaw();
        if (raw.getType() != Chunk.Encoding.XOR) {
            throw new ThanosException(io.thanosj.model.ErrorCode.INTERNAL,
                    "decode series: unsupported chunk encoding " + raw.getType());
        }
        com.google.protobuf.ByteString data = raw.getData();
        int n = data.size();
        if (n > buf.length) {
            buf = new byte[Math.max(n, buf.length * 2)];
        }
        data.copyTo(buf, 0);
        return XorChunk.wrap(buf, 0, n).iterator(cur);
    }
}
