package io.thanosj.tsdb.index;

/**
 * Postings over a sorted list with random access to entry {@code k}: the leaves of every postings
 * expression (an in-memory array, or big-endian uint32 entries read in place from the index).
 * Combinators reach the list directly through {@link #get}, {@link #search} and the cursor
 * {@link #i}, so a two-way intersection runs as a loop over two arrays rather than through
 * {@link Postings} calls per entry.
 */
abstract class ListPostings implements Postings {
    /** Number of entries. */
    final int n;
    /** The current entry: -1 before the first, {@link #n} once exhausted. */
    int i = -1;

    ListPostings(int n) {
        this.n = n;
    }

    /** Entry {@code k}, {@code 0 <= k < n}, as an unsigned 32-bit value. */
    abstract long get(int k);

    @Override
    public final boolean next() {
        if (i + 1 < n) {
            i++;
            return true;
        }
        i = n;
        return false;
    }

    @Override
    public final boolean seek(long v) {
        if (i >= n) {
            return false;
        }
        final int from = Math.max(i, 0);
        i = search(from, v);
        return i < n;
    }

    @Override
    public final long at() {
        return get(i);
    }

    @Override
    public final long cost() {
        return n - Math.max(i, 0);
    }

    /**
     * The first index {@code >= from} whose entry is {@code >= v}, or {@link #n}: a galloping search
     * (doubling steps, then binary search), so nearby targets cost a few probes and distant ones a
     * logarithm of the distance.
     */
    final int search(int from, long v) {
        if (from >= n || get(from) >= v) {
            return from;
        }
        int lo = from;   // get(lo) < v
        int step = 1;
        int hi = from + 1;
        while (hi < n && get(hi) < v) {
            lo = hi;
            step <<= 1;
            hi = from + step;
        }
        if (hi > n) {
            hi = n;
        }
        // get(lo) < v, and hi == n or get(hi) >= v
        while (lo + 1 < hi) {
            final int mid = (lo + hi) >>> 1;
            if (get(mid) < v) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }
}
