package io.thanosj.tsdb.chunk;

/** Constants of the chunk segment files ({@code chunks/000001}, ...), from chunks.md. */
public final class ChunkSegments {
    public static final int MAGIC = 0x85BD40DD;
    public static final int VERSION = 1;
    /** magic (4), version (1), padding (3). */
    public static final int HEADER_SIZE = 8;
    /** Prometheus's default and maximum segment size. */
    public static final long DEFAULT_SEGMENT_SIZE = 512L << 20;
    /** A chunk's length is a uvarint of at most 5 bytes (32 bits). */
    static final int MAX_LENGTH_FIELD = 5;

    private ChunkSegments() {}

    /** A chunk reference: segment index (0-based) in the upper 32 bits, offset in the lower 32. */
    public static long ref(int segmentIndex, long offset) {
        return ((long) segmentIndex << 32) | offset;
    }

    public static int segmentIndex(long ref) {
        return (int) (ref >>> 32);
    }

    public static long offset(long ref) {
        return ref & 0xffffffffL;
    }

    /** File name of the segment with 0-based index {@code i}: {@code 000001} for 0. */
    public static String fileName(int i) {
        return String.format("%06d", i + 1);
    }
}
