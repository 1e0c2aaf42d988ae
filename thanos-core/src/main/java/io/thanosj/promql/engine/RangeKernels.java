package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.GoStrconv;
import java.util.Arrays;

/**
 * The functions over range vectors ({@code rate}, {@code *_over_time}, ...), each a kernel over one
 * window of primitive arrays, with Prometheus 2.42's arithmetic so results agree to the last bit
 * where it matters (extrapolation, Kahan-compensated variance, NaN handling of min/max).
 */
final class RangeKernels {
    private RangeKernels() {}

    /** Computes the function for one window; false when the window yields no sample. */
    interface Kernel {
        boolean apply(Window w);

        /** Called once per series before its windows, with {@code w.ts/vs} set to the whole series. */
        default void prepare(Window w, int n) {}
    }

    /** Which samples a prefix count marks. */
    private enum Marks { RESETS, CHANGES }

    /**
     * A kernel that uses per-series prefix counts, so a window without resets (or changes) costs
     * O(1) instead of a scan: most windows of most counters have none.
     */
    private record Prefixed(Marks marks, Kernel k) implements Kernel {
        @Override
        public boolean apply(Window w) {
            return k.apply(w);
        }

        @Override
        public void prepare(Window w, int n) {
            if (w.prefix.length < n) {
                w.prefix = new int[Math.max(n, w.prefix.length * 2)];
            }
            int[] p = w.prefix;
            double[] vs = w.vs;
            p[0] = 0;
            for (int i = 1; i < n; i++) {
                double cur = vs[i];
                double prev = vs[i - 1];
                boolean mark = marks == Marks.RESETS ? cur < prev
                        : cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev));
                p[i] = p[i - 1] + (mark ? 1 : 0);
            }
        }
    }

    static Kernel of(String name) {
        return switch (name) {
            case "rate" -> new Prefixed(Marks.RESETS, w -> extrapolatedRate(w, true, true));
            case "increase" -> new Prefixed(Marks.RESETS, w -> extrapolatedRate(w, true, false));
            case "delta" -> w -> extrapolatedRate(w, false, false);
            case "irate" -> w -> instantValue(w, true);
            case "idelta" -> w -> instantValue(w, false);
            case "avg_over_time" -> RangeKernels::avgOverTime;
            case "count_over_time" -> w -> set(w, w.count());
            case "sum_over_time" -> RangeKernels::sumOverTime;
            case "min_over_time" -> RangeKernels::minOverTime;
            case "max_over_time" -> RangeKernels::maxOverTime;
            case "last_over_time" -> w -> set(w, w.vs[w.hi - 1]);
            case "present_over_time", "absent_over_time" -> w -> set(w, 1);
            case "stddev_over_time" -> w -> set(w, Math.sqrt(stdvar(w)));
            case "stdvar_over_time" -> w -> set(w, stdvar(w));
            case "quantile_over_time" -> RangeKernels::quantileOverTime;
            case "changes" -> new Prefixed(Marks.CHANGES, w -> set(w, w.marked()));
            case "resets" -> new Prefixed(Marks.RESETS, w -> set(w, w.marked()));
            case "deriv" -> RangeKernels::deriv;
            case "predict_linear" -> RangeKernels::predictLinear;
            case "holt_winters" -> RangeKernels::holtWinters;
            default -> throw new IllegalArgumentException("not a range function: " + name);
        };
    }

    private static boolean set(Window w, double v) {
        w.result = v;
        return true;
    }

    /** rate, increase and delta: the change over the window, extrapolated towards the window's edges. */
    static boolean extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
        int n = w.count();
        if (n < 2) {
            return false;
        }
        long[] ts = w.ts;
        double[] vs = w.vs;
        int lo = w.lo;
        int last = w.hi - 1;
        double result = vs[last] - vs[lo];
        // The prefix count tells whether the window has a reset at all; only then is it scanned, in
        // Prometheus's order, so results stay bit-identical.
        if (isCounter && w.marked() > 0) {
            double prev = vs[lo];
            for (int i = lo + 1; i <= last; i++) {
                double cur = vs[i];
                if (cur < prev) {
                    result += prev;
                }
                prev = cur;
            }
        }
        double durationToStart = (ts[lo] - w.rangeStart) / 1000.0;
        double durationToEnd = (w.rangeEnd - ts[last]) / 1000.0;
        double sampledInterval = (ts[last] - ts[lo]) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        if (isCounter && result > 0 && vs[lo] >= 0) {
            // Counters start at zero: do not extrapolate below it.
            double durationToZero = sampledInterval * (vs[lo] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double threshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
        extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
        double factor = extrapolateToInterval / sampledInterval;
        if (isRate) {
            factor /= w.rangeMs / 1000.0;
        }
        w.result = result * factor;
        return true;
    }

    /** irate and idelta: from the last two samples only. */
    static boolean instantValue(Window w, boolean isRate) {
        if (w.count() < 2) {
            return false;
        }
        int last = w.hi - 1;
        double lastV = w.vs[last];
        double prevV = w.vs[last - 1];
        double result = isRate && lastV < prevV ? lastV : lastV - prevV;
        long interval = w.ts[last] - w.ts[last - 1];
        if (interval == 0) {
            return false;
        }
        if (isRate) {
            result /= interval / 1000.0;
        }
        w.result = result;
        return true;
    }

    static boolean avgOverTime(Window w) {
        double mean = 0;
        double count = 0;
        double[] vs = w.vs;
        for (int i = w.lo; i < w.hi; i++) {
            count++;
            mean = avgStep(mean, vs[i], count);
        }
        w.result = mean;
        return true;
    }

    /** Prometheus's incremental mean, one sample: {@code mean += v/count - mean/count}, infinities kept. */
    private static double avgStep(double mean, double v, double count) {
        if (Double.isInfinite(mean)) {
            if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
                return mean; // Inf of the same sign: the mean is already right
            }
            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                return mean; // a finite value cannot move an infinite mean
            }
        }
        return mean + (v / count - mean / count);
    }

    /**
     * avg_over_time of {@code k} non-empty windows {@code [lo[j], hi[j])} of {@code vs} into
     * {@code out[j]}. Each window's mean is a chain of divisions that depend on the one before, so
     * one window at a time waits on the divider's latency at every sample; four windows walked in
     * step keep it busy. Every window still sees exactly {@link #avgOverTime}'s operations, so the
     * results are the same bits.
     */
    static void avgOverTimeWindows(double[] vs, int[] lo, int[] hi, int k, double[] out) {
        int j = 0;
        for (; j + 3 < k; j += 4) {
            int a = lo[j];
            int b = lo[j + 1];
            int c = lo[j + 2];
            int d = lo[j + 3];
            int common = Math.min(Math.min(hi[j] - a, hi[j + 1] - b), Math.min(hi[j + 2] - c, hi[j + 3] - d));
            double m0 = 0;
            double m1 = 0;
            double m2 = 0;
            double m3 = 0;
            double count = 0;
            for (int i = 0; i < common; i++) {
                count++;
                m0 = avgStep(m0, vs[a + i], count);
                m1 = avgStep(m1, vs[b + i], count);
                m2 = avgStep(m2, vs[c + i], count);
                m3 = avgStep(m3, vs[d + i], count);
            }
            out[j] = finishAvg(vs, a + common, hi[j], m0, count);
            out[j + 1] = finishAvg(vs, b + common, hi[j + 1], m1, count);
            out[j + 2] = finishAvg(vs, c + common, hi[j + 2], m2, count);
            out[j + 3] = finishAvg(vs, d + common, hi[j + 3], m3, count);
        }
        for (; j < k; j++) {
            out[j] = finishAvg(vs, lo[j], hi[j], 0, 0);
        }
    }

    private static double finishAvg(double[] vs, int from, int to, double mean, double count) {
        for (int i = from; i < to; i++) {
            count++;
            mean = avgStep(mean, vs[i], count);
        }
        return mean;
    }

    static boolean sumOverTime(Window w) {
        double sum = 0;
        double[] vs = w.vs;
        for (int i = w.lo; i < w.hi; i++) {
            sum += vs[i];
        }
        w.result = sum;
        return true;
    }

    static boolean minOverTime(Window w) {
        double[] vs = w.vs;
        double min = vs[w.lo];
        for (int i = w.lo; i < w.hi; i++) {
            if (vs[i] < min || Double.isNaN(min)) {
                min = vs[i];
            }
        }
        w.result = min;
        return true;
    }

    static boolean maxOverTime(Window w) {
        double[] vs = w.vs;
        double max = vs[w.lo];
        for (int i = w.lo; i < w.hi; i++) {
            if (vs[i] > max || Double.isNaN(max)) {
                max = vs[i];
            }
        }
        w.result = max;
        return true;
    }

    /** Welford's variance with Kahan-compensated sums, as Prometheus computes it. */
    static double stdvar(Window w) {
        double count = 0;
        double mean = 0;
        double cMean = 0;
        double aux = 0;
        double cAux = 0;
        double[] vs = w.vs;
        for (int i = w.lo; i < w.hi; i++) {
            double v = vs[i];
            count++;
            double delta = v - (mean + cMean);
            double t = mean + delta / count;
            cMean += kahanC(mean, delta / count, t);
            mean = t;
            double inc = delta * (v - (mean + cMean));
            t = aux + inc;
            cAux += kahanC(aux, inc, t);
            aux = t;
        }
        return (aux + cAux) / count;
    }

    /** The compensation term of one Neumaier summation step {@code t = sum + inc}. */
    static double kahanC(double sum, double inc, double t) {
        return Math.abs(sum) >= Math.abs(inc) ? (sum - t) + inc : (inc - t) + sum;
    }

    static boolean quantileOverTime(Window w) {
        double q = w.scalarArg(0);
        double[] vals = Arrays.copyOfRange(w.vs, w.lo, w.hi);
        w.result = quantile(q, vals, vals.length);
        return true;
    }

    /**
     * Prometheus's quantile: linear interpolation between the two nearest ranks; NaN sorts first.
     * Sorts {@code values[0, n)} in place.
     */
    static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
    }

    /** Ascending sort with NaNs first, as Go's sort over Prometheus's vectorByValueHeap orders them. */
    static void sortNaNFirst(double[] values, int n) {
        int nan = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                double t = values[nan];
                values[nan] = values[i];
                values[i] = t;
                nan++;
            }
        }
        Arrays.sort(values, nan, n);
    }

    static boolean deriv(Window w) {
        if (w.count() < 2) {
            return false;
        }
        // The first sample's time as intercept time keeps the regression's x values small (prometheus#2674).
        w.result = linearRegression(w, w.ts[w.lo])[0];
        return true;
    }

    static boolean predictLinear(Window w) {
        if (w.count() < 2) {
            return false;
        }
        double duration = w.scalarArg(1);
        double[] si = linearRegression(w, w.stepTime);
        w.result = si[0] * duration + si[1];
        return true;
    }

    /** Least squares {slope, intercept} with x in seconds relative to {@code interceptTime}. */
    static double[] linearRegression(Window w, long interceptTime) {
        double n = 0;
        double sumX = 0;
        double cX = 0;
        double sumY = 0;
        double cY = 0;
        double sumXY = 0;
        double cXY = 0;
        double sumX2 = 0;
        double cX2 = 0;
        double[] vs = w.vs;
        long[] ts = w.ts;
        double initY = vs[w.lo];
        boolean constY = true;
        for (int i = w.lo; i < w.hi; i++) {
            double y = vs[i];
            if (constY && i > w.lo && y != initY) {
                constY = false;
            }
            n += 1.0;
            double x = (ts[i] - interceptTime) / 1e3;
            double t = sumX + x;
            cX += kahanC(sumX, x, t);
            sumX = t;
            t = sumY + y;
            cY += kahanC(sumY, y, t);
            sumY = t;
            double xy = x * y;
            t = sumXY + xy;
            cXY += kahanC(sumXY, xy, t);
            sumXY = t;
            double x2 = x * x;
            t = sumX2 + x2;
            cX2 += kahanC(sumX2, x2, t);
            sumX2 = t;
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {0, initY};
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        double intercept = sumY / n - slope * sumX / n;
        return new double[] {slope, intercept};
    }

    static boolean holtWinters(Window w) {
        double sf = w.scalarArg(1);
        double tf = w.scalarArg(2);
        if (sf <= 0 || sf >= 1) {
            throw new ThanosException(ErrorCode.EXECUTION,
                    "invalid smoothing factor. Expected: 0 < sf < 1, got: " + GoStrconv.formatFixed6(sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw new ThanosException(ErrorCode.EXECUTION,
                    "invalid trend factor. Expected: 0 < tf < 1, got: " + GoStrconv.formatFixed6(tf));
        }
        int l = w.count();
        if (l < 2) {
            return false;
        }
        double[] vs = w.vs;
        int lo = w.lo;
        double s0 = 0;
        double s1 = vs[lo];
        double b = vs[lo + 1] - vs[lo];
        for (int i = 1; i < l; i++) {
            double x = sf * vs[lo + i];
            if (i > 1) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        w.result = s1;
        return true;
    }
}
