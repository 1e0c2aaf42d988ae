package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import java.util.Arrays;

/**
 * An immutable XOR (Gorilla) chunk as Prometheus encodes it: a big-endian uint16 sample count, then
 * the bit stream (see {@code tsdb/docs/format/chunks.md}). The bytes are shared, never copied, and
 * must not be changed. Build one with {@link XorAppender}; read it with {@link #iterator}.
 */
public final class XorChunk {
    private final byte[] b;
    private final int off;
    private final int len;
    // Where the chunk came from, for error messages only; null when built in memory.
    private final String file;
    private final long fileOffset;

    private XorChunk(byte[] b, int off, int len, String file, long fileOffset) {
        if (off < 0 || len < 2 || off + len > b.length) {
            throw ThanosException.corrupted("read XOR chunk" + where(file, fileOffset) + ": chunk of " + len
                    + " bytes is shorter than its 2-byte header");
        }
        this.b = b;
        this.off = off;
        this.len = len;
        this.file = file;
        this.fileOffset = fileOffset;
    }

    /** Wraps encoded chunk bytes (header included) without copying. */
    public static XorChunk wrap(byte[] bytes) {
        return new XorChunk(bytes, 0, bytes.length, null, -1);
    }

    public static XorChunk wrap(byte[] bytes, int off, int len) {
        return new XorChunk(bytes, off, len, null, -1);
    }

    /** Wraps bytes read from a file; errors while decoding will name the file and offset. */
    public static XorChunk wrap(byte[] bytes, int off, int len, String file, long fileOffset) {
        return new XorChunk(bytes, off, len, file, fileOffset);
    }

    public ChunkEncoding encoding() {
        return ChunkEncoding.XOR;
    }

    public int numSamples() {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /**
     * An iterator over the samples; reuses {@code reuse} when it is an iterator made by this class.
     * It decodes in batches into its own arrays (see the package documentation), copying the bytes
     * at its first {@code next} or {@code seek}.
     */
    public SampleIterator iterator(SampleIterator reuse) {
        XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
        it.reset(this);
        return it;
    }

    public SampleIterator iterator() {
        return iterator(null);
    }

    /** An appender continuing after the last sample, on a copy of the bytes. */
    public XorAppender appender() {
        return XorAppender.continuing(this);
    }

    /** Encoded bytes, header included: the backing array when it holds exactly this chunk, else a copy. */
    public byte[] bytes() {
        return off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
    }

    public byte[] array() {
        return b;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    String where() {
        return where(file, fileOffset);
    }

    private static String where(String file, long fileOffset) {
        return file == null ? "" : " in " + file + " at offset " + fileOffset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XorChunk c && Arrays.equals(b, off, off + len, c.b, c.off, c.off + c.len);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "XorChunk{samples=" + numSamples() + ", bytes=" + len + "}";
    }
}
