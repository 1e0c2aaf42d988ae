package io.thanosj.promql.engine;

/**
 * The samples {@code [lo, hi)} of one series that fall in one step's range window
 * {@code [rangeStart, rangeEnd]}, plus what range functions need to know about the step. One instance
 * is re-pointed at every window; kernels write their answer to {@link #result}.
 */
final class Window {
    long[] ts;
    double[] vs;
    int lo;
    int hi;
    int step;
    long stepTime;
    long rangeStart;
    long rangeEnd;
    long rangeMs;
    double[][] scalarArgs;
    double result;
    /**
     * Per-series prefix counts for the kernels that ask for them: {@code prefix[i]} counts the
     * samples {@code 1..i} that are a counter reset (or, for changes(), differ from their predecessor).
     */
    int[] prefix = new int[0];

    /** Number of marked samples in {@code (lo, hi)}, i.e. among the window's samples after the first. */
    int marked() {
        return prefix[hi - 1] - prefix[lo];
    }

    int count() {
        return hi - lo;
    }

    double scalarArg(int argIndex) {
        return scalarArgs[argIndex][step];
    }
}
