package io.thanosj.tsdb.encoding;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Random-access bytes of one file: a memory-mapped local file, a byte array, or ranges fetched from
 * object storage. Decoders only ask for slices, so one decoder serves every source (as Prometheus's
 * {@code ByteSlice}); sources that hold the bytes in memory also lend their buffers
 * ({@link #shared}) to hot decoders, which then read in place without a slice object per read.
 */
public interface ByteSource extends Closeable {
    /** Total length in bytes. */
    long length();

    /**
     * A big-endian buffer over {@code [offset, offset + length)}, position 0, valid until {@link #close}.
     * It may share memory with the source; callers must not write to it. Throws a
     * {@link io.thanosj.model.ThanosException} when the range is outside the source.
     */
    ByteBuffer slice(long offset, int length);

    /**
     * A buffer that holds all of {@code [offset, offset + length)}, shared and read-only, for
     * reading in place with absolute gets: no slice object per read. File offset {@code offset} is
     * at index {@link #sharedIndex}{@code (offset)}. Returns null when no single buffer holds the
     * range (then use {@link #slice}). Callers must not change the buffer's position or limit; use a
     * duplicate for relative operations. Checks the range as {@link #slice} does.
     */
    default ByteBuffer shared(long offset, int length) {
        return null;
    }

    /** The index of file offset {@code offset} in the buffer {@link #shared} returned for it. */
    default int sharedIndex(long offset) {
        throw new UnsupportedOperationException("no shared buffers");
    }

    /** A name for error messages, such as {@code "01H.../index"}. */
    String name();

    @Override
    void close();

    /** Memory-maps a file read-only; {@code name} is used in errors. */
    static ByteSource mmap(Path file, String name) {
        return MmapByteSource.open(file, name);
    }

    static ByteSource of(byte[] bytes, String name) {
        return new ArrayByteSource(bytes, name);
    }
}
