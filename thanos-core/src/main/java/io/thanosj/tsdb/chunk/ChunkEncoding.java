package io.thanosj.tsdb.chunk;

/** Chunk encodings as numbered in Prometheus's {@code chunkenc.Encoding}; the byte stored before chunk data. */
public enum ChunkEncoding {
    NONE(0),
    XOR(1),
    HISTOGRAM(2),
    FLOAT_HISTOGRAM(3);

    private final int code;

    ChunkEncoding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The encoding for a stored byte, or null for an unknown one. */
    public static ChunkEncoding of(int code) {
        return switch (code) {
            case 0 -> NONE;
            case 1 -> XOR;
            case 2 -> HISTOGRAM;
            case 3 -> FLOAT_HISTOGRAM;
            default -> null;
        };
    }
}
