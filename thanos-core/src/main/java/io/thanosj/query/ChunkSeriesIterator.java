package io.thanosj.query;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.store.SeriesChunks;
import io.thanosj.tsdb.chunk.XorChunk;
import java.util.List;

/**
 * Samples of one series read from its chunks in min-time order, decoding one chunk at a time.
 * Chunks from several blocks or stores may overlap; a sample at or before the last one returned
 * is skipped, so the result is strictly increasing in time. Chunks that come as
 * {@link SeriesChunks} columns are decoded where they lie (the bytes of a gRPC response), others are
 * copied out of their message one at a time.
 */
final class ChunkSeriesIterator implements SampleIterator {
    private final List<AggrChunk> chunks;
    private final SeriesChunks columns; // chunks as columns, or null
    private final int size;
    private int next;
    private SampleIterator cur = SampleIterator.EMPTY;
    private long t = Long.MIN_VALUE;
    private double v;
    private byte[] buf;

    ChunkSeriesIterator(List<AggrChunk> chunks) {
        this.chunks = chunks;
        this.columns = chunks instanceof SeriesChunks c ? c : null;
        this.size = chunks.size();
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
            cur = open(next++);
        }
    }

    @Override
    public boolean seek(long target) {
        if (t >= target && t != Long.MIN_VALUE) {
            return true;
        }
        // Chunks not yet opened that end before the target cannot hold it: skip them undecoded.
        while (next < size && maxTime(next) < target) {
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
            cur = open(next++);
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

    private long maxTime(int i) {
        return columns != null ? columns.maxTime(i) : chunks.get(i).getMaxTime();
    }

    private SampleIterator open(int i) {
        SeriesChunks c = columns;
        if (c != null && c.plain(i)) {
            if (!c.hasRaw(i)) {
                throw noRaw(c.minTime(i), c.maxTime(i));
            }
            if (c.rawType(i) != SeriesChunks.XOR) {
                throw unsupported(Chunk.Encoding.forNumber(c.rawType(i)), c.rawType(i));
            }
            int n = c.dataLength(i);
            byte[] a = c.dataArray(i);
            if (a != null) {
                return XorChunk.wrap(a, c.dataOffset(i), n).iterator(cur);
            }
            c.copyData(i, scratch(n), 0);
            return XorChunk.wrap(buf, 0, n).iterator(cur);
        }
        AggrChunk ac = chunks.get(i);
        if (!ac.hasRaw()) {
            throw noRaw(ac.getMinTime(), ac.getMaxTime());
        }
        Chunk raw = ac.getRaw();
        if (raw.getType() != Chunk.Encoding.XOR) {
            throw unsupported(raw.getType(), raw.getTypeValue());
        }
        com.google.protobuf.ByteString data = raw.getData();
        int n = data.size();
        data.copyTo(scratch(n), 0);
        return XorChunk.wrap(buf, 0, n).iterator(cur);
    }

    // Chunk bytes are copied here, one chunk at a time, when they are not in an array already.
    private byte[] scratch(int n) {
        if (buf == null || n > buf.length) {
            buf = new byte[Math.max(n, buf == null ? 256 : buf.length * 2)];
        }
        return buf;
    }

    private static ThanosException noRaw(long mint, long maxt) {
        return new ThanosException(ErrorCode.INTERNAL, "decode series: chunk [" + mint + ", " + maxt
                + "] has no raw data; downsampled aggregates are not supported by this querier yet");
    }

    private static ThanosException unsupported(Chunk.Encoding e, int value) {
        return new ThanosException(ErrorCode.INTERNAL, "decode series: unsupported chunk encoding "
                + (e == null ? String.valueOf(value) : e.toString()));
    }
}
