package io.thanosj.tsdb.index;

/** Postings over a sorted {@code long[]} slice, seeking by galloping search. */
final class ArrayPostings implements Postings {
    private final long[] a;
    private final int end;
    private int i;

    ArrayPostings(long[] a, int from, int to) {
        this.a = a;
        this.i = from - 1;
        this.end = to;
    }

    @Override
    public boolean next() {
        if (i + 1 < end) {
            i++;
            return true;
        }
        i = end;
        return false;
    }

    @Override
    public boolean seek(long v) {
        if (i >= end) {
            return false;
        }
        if (i < 0) {
            i = 0;
            if (end == 0) {
                return false;
            }
        }
        if (a[i] >= v) {
            return true;
        }
        // Gallop: bound the target within [lo, hi], then binary search.
        int lo = i;
        int step = 1;
        int hi = i + 1;
        while (hi < end && a[hi] < v) {
            lo = hi;
            step <<= 1;
            hi = lo + step;
        }
        if (hi >= end) {
            hi = end - 1;
            if (a[hi] < v) {
                i = end;
                return false;
            }
        }
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        i = hi;
        return true;
    }

    @Override
    public long at() {
        return a[i];
    }

    @Override
    public long cost() {
        return Math.max(0, end - Math.max(i, 0));
    }
}
