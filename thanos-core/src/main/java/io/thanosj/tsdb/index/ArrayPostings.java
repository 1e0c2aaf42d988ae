package io.thanosj.tsdb.index;

/** Postings over a sorted {@code long[]} slice. */
final class ArrayPostings extends ListPostings {
    private final long[] a;
    private final int from;

    ArrayPostings(long[] a, int from, int to) {
        super(to - from);
        this.a = a;
        this.from = from;
    }

    @Override
    long get(int k) {
        return a[from + k];
    }
}
