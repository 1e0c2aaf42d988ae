package io.thanosj.tsdb.index;

import java.nio.ByteBuffer;

/**
 * Postings decoded in place from a list of big-endian uint32 references (the index's raw postings
 * encoding), without copying them out; seeks gallop over the buffer.
 */
final class BigEndianPostings implements Postings {
    private final ByteBuffer b;
    private final int base;
    private final int n;
    private int i = -1;
    private long cur;

    /** {@code n} references starting at byte {@code base} of {@code b}. */
    BigEndianPostings(ByteBuffer b, int base, int n) {
        this.b = b;
        this.base = base;
        this.n = n;
    }

    private long get(int k) {
        return b.getInt(base + (k << 2)) & 0xffffffffL;
    }

    @Override
    public boolean next() {
        if (i + 1 < n) {
            cur = get(++i);
            return true;
        }
        i = n;
        return false;
    }

    @Override
    public boolean seek(long v) {
        if (i >= n) {
            return false;
        }
        if (i < 0) {
            if (n == 0) {
                i = 0;
                return false;
            }
            i = 0;
            cur = get(0);
        }
        if (cur >= v) {
            return true;
        }
        int lo = i;
        int step = 1;
        int hi = i + 1;
        while (hi < n && get(hi) < v) {
            lo = hi;
            step <<= 1;
            hi = lo + step;
        }
        if (hi >= n) {
            hi = n - 1;
            if (get(hi) < v) {
                i = n;
                return false;
            }
        }
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid) < v) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        i = hi;
        cur = get(hi);
        return true;
    }

    @Override
    public long at() {
        return cur;
    }

    @Override
    public long cost() {
        return Math.max(0, n - Math.max(i, 0));
    }
}
