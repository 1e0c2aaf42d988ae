package io.thanosj.promql.engine;

/** The evaluation timestamps: {@code start + i * step} for {@code i < n}, in milliseconds. */
final class Grid {
    final long start;
    final long step;
    final int n;

    Grid(long start, long step, int n) {
        this.start = start;
        this.step = step;
        this.n = n;
    }

    long at(int i) {
        return start + i * step;
    }

    long last() {
        return at(n - 1);
    }

    /** The one-step grid at this grid's start, where step-invariant subtrees are evaluated. */
    Grid first() {
        return n == 1 ? this : new Grid(start, step, 1);
    }
}
