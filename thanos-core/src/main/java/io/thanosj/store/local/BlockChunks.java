package io.thanosj.store.local;

import io.thanosj.store.SeriesChunks;
import io.thanosj.tsdb.block.BlockSeriesSet;
import io.thanosj.tsdb.chunk.ChunkLocation;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkReader;
import java.nio.ByteBuffer;

/**
 * The chunks of one block series as {@link SeriesChunks}: times copied from the chunk metas, data
 * as ranges of the block's (mapped) segment files, so a Series response copies each chunk once,
 * from the mapped file into the response. The columns of many series share arrays
 * ({@link Columns}), so a series costs one small object rather than arrays and a buffer view per
 * chunk. Chunks are found and checked in a second step ({@link #locate}), so that a reader can
 * first load the memory of several series' chunks at once ({@link #touch}).
 */
final class BlockChunks extends SeriesChunks {
    private final Arena c;
    private final int from;
    private final int n;

    private BlockChunks(Arena c, int from, int n) {
        this.c = c;
        this.from = from;
        this.n = n;
    }

    /** Column arrays shared by the chunk lists of many series; written once, then only read. */
    private static final class Arena {
        final long[] times; // min, max per chunk
        final long[] refs;
        final ByteBuffer[] bufs; // null until located
        final int[] at;
        final int[] len;
        final boolean[] trim;

        Arena(int cap) {
            times = new long[2 * cap];
            refs = new long[cap];
            bufs = new ByteBuffer[cap];
            at = new int[cap];
            len = new int[cap];
            trim = new boolean[cap];
        }
    }

    /**
     * Where one reader puts its series' chunks: a full arena is replaced, not grown, because the
     * chunk lists already handed out keep it. Chunks that reach outside the reader's range
     * {@code [mint, maxt]} are cut to the samples inside when located ({@link ChunkTrimmer}).
     * Not thread-safe.
     */
    static final class Columns {
        private static final int FIRST = 64;
        private static final int MAX = 4096;

        private final long mint;
        private final long maxt;

        private Arena arena = new Arena(0);
        private int used;
        private final ChunkLocation loc = new ChunkLocation();
        private final ChunkTrimmer trimmer = new ChunkTrimmer();

        /** Whole chunks, whatever their range. */
        Columns() {
            this(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        Columns(long mint, long maxt) {
            this.mint = mint;
            this.maxt = maxt;
        }

        private Arena room(int n) {
            int cap = arena.bufs.length;
            if (used + n > cap) {
                arena = new Arena(Math.max(n, Math.min(MAX, Math.max(FIRST, cap * 2))));
                used = 0;
            }
            return arena;
        }
    }

    /**
     * The current series' chunks, to be {@link #locate located} before use; stay valid after the
     * set moves on, while the block is open. Chunks with deleted samples are re-encoded now (the set
     * holds them only until it moves on); the others are read in place later, through the reader.
     */
    static BlockChunks of(BlockSeriesSet s, Columns cols) {
        ChunkMetas metas = s.chunkMetas();
        long mint = cols.mint;
        long maxt = cols.maxt;
        int n = metas.size();
        Arena a = cols.room(n);
        int base = cols.used;
        boolean inPlace = s.deleted().isEmpty();
        for (int i = 0; i < n; i++) {
            int k = base + i;
            a.times[2 * k] = metas.minTime(i);
            a.times[2 * k + 1] = metas.maxTime(i);
            a.refs[k] = metas.ref(i);
            a.trim[k] = inPlace && ChunkTrimmer.worthIt(metas.minTime(i), metas.maxTime(i), mint, maxt);
            if (!inPlace) {
                ByteBuffer d = s.chunkData(i);
                a.bufs[k] = d;
                a.at[k] = d.position();
                a.len[k] = d.remaining();
            }
        }
        cols.used = base + n;
        return new BlockChunks(a, base, n);
    }

    /** Loads the chunks' memory ahead of {@link #locate} ({@link ChunkReader#touch}). */
    int touch(ChunkReader reader, boolean whole) {
        int sum = 0;
        for (int k = from, e = from + n; k < e; k++) {
            if (c.bufs[k] == null) {
                sum += reader.touch(c.refs[k], whole);
            }
        }
        return sum;
    }

    /** Finds and checks every chunk not yet found; throws as {@link ChunkReader#locate} does. */
    BlockChunks locate(ChunkReader reader, Columns cols) {
        Arena a = c;
        for (int k = from, e = from + n; k < e; k++) {
            if (a.bufs[k] == null) {
                ChunkLocation l = reader.locate(a.refs[k], cols.loc);
                a.at[k] = l.index();
                a.len[k] = l.length();
                a.bufs[k] = l.buffer();
                if (a.trim[k]) {
                    a.trim[k] = false;
                    cols.trimmer.trim(a.bufs, a.at, a.len, a.times, k, cols.mint, cols.maxt);
                }
            }
        }
        return this;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public long minTime(int i) {
        return c.times[2 * (from + i)];
    }

    @Override
    public long maxTime(int i) {
        return c.times[2 * (from + i) + 1];
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
        return c.len[from + i];
    }

    @Override
    public void copyData(int i, byte[] dst, int off) {
        int k = from + i;
        c.bufs[k].get(c.at[k], dst, off, c.len[k]); // absolute: the buffer may be shared
    }

    @Override
    public int samples(int i) {
        int k = from + i;
        return c.len[k] < 2 ? 0 : c.bufs[k].getShort(c.at[k]) & 0xffff;
    }
}
