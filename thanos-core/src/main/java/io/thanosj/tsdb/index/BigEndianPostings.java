package io.thanosj.tsdb.index;

import java.nio.ByteBuffer;

/**
 * Postings decoded in place from a list of big-endian uint32 references (the index's raw postings
 * encoding): entries are read from the buffer when visited, never copied out or boxed.
 */
final class BigEndianPostings extends ListPostings {
    private final ByteBuffer b;
    private final int base;

    /** {@code n} references starting at byte {@code base} of {@code b}. */
    BigEndianPostings(ByteBuffer b, int base, int n) {
        super(n);
        this.b = b.order() == java.nio.ByteOrder.BIG_ENDIAN ? b : b.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        this.base = base;
    }

    @Override
    long get(int k) {
        return b.getInt(base + (k << 2)) & 0xffffffffL;
    }
}
