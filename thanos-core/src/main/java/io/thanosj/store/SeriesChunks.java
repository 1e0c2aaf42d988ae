package io.thanosj.store;

import com.google.protobuf.UnsafeByteOperations;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The chunks of one series as columns: min and max time, and for a raw chunk its encoding, data
 * bytes and hash. It is a {@code List<AggrChunk>} whose elements are built only when asked for, so
 * it can travel through every {@link SeriesSet}, while the Series codec and the querier's decoder
 * read the columns and never build a message per chunk. Immutable, like every chunk list a
 * {@link SeriesSet} returns.
 *
 * <p>A chunk is <em>plain</em> when the columns describe it completely: min and max time and at
 * most a raw chunk of type, data and hash (no aggregates, no unknown fields). Other chunks are kept
 * whole and read through {@link #get}.
 */
public abstract class SeriesChunks extends AbstractList<AggrChunk> implements RandomAccess {
    /** Raw chunk encodings, as in {@link Chunk.Encoding}. */
    public static final int XOR = 0;

    public abstract long minTime(int i);

    public abstract long maxTime(int i);

    /** True when the columns describe chunk {@code i} completely (see the class comment). */
    public abstract boolean plain(int i);

    /** True when chunk {@code i} has a raw chunk; only meaningful for plain chunks. */
    public abstract boolean hasRaw(int i);

    /** The raw chunk's encoding ({@link #XOR}, ...); only meaningful for plain chunks with raw data. */
    public abstract int rawType(int i);

    /** The raw chunk's hash field, 0 when unset; only meaningful for plain chunks with raw data. */
    public long rawHash(int i) {
        return 0;
    }

    /** Length of the raw chunk's data; only meaningful for plain chunks with raw data. */
    public abstract int dataLength(int i);

    /** Copies the raw chunk's data to {@code dst} at {@code off}; only for plain chunks with raw data. */
    public abstract void copyData(int i, byte[] dst, int off);

    /**
     * The array holding the raw chunk's data at {@link #dataOffset}, to be read in place and never
     * written, or null when the data is not in an array (then use {@link #copyData}).
     */
    public byte[] dataArray(int i) {
        return null;
    }

    public int dataOffset(int i) {
        return 0;
    }

    /** The chunk as a message; built on each call for plain chunks. */
    @Override
    public AggrChunk get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("chunk " + i + " of " + size());
        }
        if (!plain(i)) {
            return whole(i);
        }
        AggrChunk.Builder b = AggrChunk.newBuilder().setMinTime(minTime(i)).setMaxTime(maxTime(i));
        if (hasRaw(i)) {
            byte[] a = dataArray(i);
            int n = dataLength(i);
            int off = 0;
            if (a == null) {
                a = new byte[n];
                copyData(i, a, 0);
            } else {
                off = dataOffset(i);
            }
            b.setRaw(Chunk.newBuilder().setTypeValue(rawType(i)).setHash(rawHash(i))
                    .setData(UnsafeByteOperations.unsafeWrap(a, off, n)));
        }
        return b.build();
    }

    /** A chunk that is not plain, whole; implementations with only plain chunks never get here. */
    protected AggrChunk whole(int i) {
        throw new IllegalStateException("chunk " + i + " is not plain");
    }

    /** Samples in chunk {@code i}: the big-endian count that starts XOR and histogram data. */
    public int samples(int i) {
        if (!plain(i)) {
            return ChunkOrder.samples(get(i));
        }
        if (!hasRaw(i) || dataLength(i) < 2) {
            return 0;
        }
        byte[] a = dataArray(i);
        if (a != null) {
            int o = dataOffset(i);
            return (a[o] & 0xff) << 8 | (a[o + 1] & 0xff);
        }
        byte[] all = new byte[dataLength(i)];
        copyData(i, all, 0);
        return (all[0] & 0xff) << 8 | (all[1] & 0xff);
    }

    /** Samples of every chunk of a list, through the columns when it has them. */
    static long samples(List<AggrChunk> chunks) {
        long n = 0;
        if (chunks instanceof SeriesChunks sc) {
            for (int i = 0, c = sc.size(); i < c; i++) {
                n += sc.samples(i);
            }
        } else {
            for (int i = 0, c = chunks.size(); i < c; i++) {
                n += ChunkOrder.samples(chunks.get(i));
            }
        }
        return n;
    }
}
