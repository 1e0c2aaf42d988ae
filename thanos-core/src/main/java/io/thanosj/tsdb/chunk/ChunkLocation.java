package io.thanosj.tsdb.chunk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Where the data bytes of one checked chunk lie, filled by {@link ChunkReader#locate}: a buffer
 * shared with the segment (the mapped region for local blocks) and a range in it. One per reading
 * thread, reused for every chunk, so finding a chunk allocates nothing; the buffer stays valid
 * until the reader is closed, the range only until the next {@code locate}.
 */
public final class ChunkLocation {
    ByteBuffer buffer;
    int index;
    int length;
    String segment;
    long fileOffset;
    // Checksums need a position and limit, which a shared buffer must keep: one duplicate of the
    // buffer seen last, and one CRC, reused while chunks come from the same region.
    private ByteBuffer dup;
    private ByteBuffer dupOf;
    private final CRC32C crc = new CRC32C();

    /** The buffer holding the data: read it with absolute gets only. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Index of the first data byte (after the encoding) in {@link #buffer}. */
    public int index() {
        return index;
    }

    /** Data length in bytes, without the encoding byte and CRC. */
    public int length() {
        return length;
    }

    /** The segment file's name, for errors. */
    public String segment() {
        return segment;
    }

    /** Offset of the first data byte in the segment file. */
    public long fileOffset() {
        return fileOffset;
    }

    int crc32c(ByteBuffer b, int from, int to) {
        if (dupOf != b) {
            dup = b.duplicate();
            dupOf = b;
        }
        crc.reset();
        dup.limit(to).position(from);
        crc.update(dup);
        return (int) crc.getValue();
    }
}
