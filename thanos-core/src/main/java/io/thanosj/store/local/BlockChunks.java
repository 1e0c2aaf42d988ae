package io.thanosj.store.local;

import io.thanosj.store.SeriesChunks;
import io.thanosj.tsdb.block.BlockSeriesSet;
import io.thanosj.tsdb.chunk.ChunkMetas;
import java.nio.ByteBuffer;

/**
 * The chunks of one block series as {@link SeriesChunks}: times copied from the chunk metas, data
 * as views of the block's segment files, so a Series response copies each chunk once, from the
 * mapped file into the response.
 */
final class BlockChunks extends SeriesChunks {
    private final long[] times; // min, max per chunk
    private final ByteBuffer[] data;

    private BlockChunks(long[] times, ByteBuffer[] data) {
        this.times = times;
        this.data = data;
    }

    /** The current series' chunks; stays valid after the set moves on, while the block is open. */
    static BlockChunks of(BlockSeriesSet s) {
        ChunkMetas metas = s.chunkMetas();
        int n = metas.size();
        long[] times = new long[2 * n];
        ByteBuffer[] data = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            times[2 * i] = metas.minTime(i);
            times[2 * i + 1] = metas.maxTime(i);
            data[i] = s.chunkData(i);
        }
        return new BlockChunks(times, data);
    }

    @Override
    public int size() {
        return data.length;
    }

    @Override
    public long minTime(int i) {
        return times[2 * i];
    }

    @Override
    public long maxTime(int i) {
        return times[2 * i + 1];
    }

    @Override
    public boolean plain(int i) {
        return true;
    }

    @Override
    public boolean hasRaw(int i) {
        return true;
    }

    @Override
    public int rawType(int i) {
        return XOR;
    }

    @Override
    public int dataLength(int i) {
        return data[i].remaining();
    }

    @Override
    public void copyData(int i, byte[] dst, int off) {
        ByteBuffer d = data[i];
        d.get(d.position(), dst, off, d.remaining());
    }

    @Override
    public int samples(int i) {
        ByteBuffer d = data[i];
        return d.remaining() < 2 ? 0 : d.getShort(d.position()) & 0xffff;
    }
}
