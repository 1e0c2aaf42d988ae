package io.thanosj.tsdb.index;

/** Constants of the index file, from prometheus/prometheus {@code tsdb/docs/format/index.md}. */
final class IndexFormat {
    static final int MAGIC = 0xBAAAD700;
    static final int HEADER_LEN = 5;
    static final int FORMAT_V1 = 1;
    static final int FORMAT_V2 = 2;
    /** Six 8-byte section references and a CRC32C. */
    static final int TOC_LEN = 6 * 8 + 4;
    /** Series start at multiples of 16; a series reference is its offset / 16. */
    static final int SERIES_ALIGN = 16;
    /** The index must stay below 64 GiB so that series references fit in 32 bits. */
    static final long MAX_SIZE = 16L * 0xffffffffL;
    /** Every n-th symbol and postings table value is kept in memory by readers. */
    static final int SAMPLE = 32;

    private IndexFormat() {}
}
