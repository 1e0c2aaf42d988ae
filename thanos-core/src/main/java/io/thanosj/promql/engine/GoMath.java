package io.thanosj.promql.engine;

/** Go {@code math} functions whose special cases differ from {@link Math}'s. */
final class GoMath {
    private static final double LN2 = 0.693147180559945309417232121458176568;

    private GoMath() {}

    static double pow(double x, double y) {
        if (y == 0 || x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    static double max(double x, double y) {
        if (x == Double.POSITIVE_INFINITY || y == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.NaN;
        }
        if (x == 0 && x == y) {
            return Double.doubleToRawLongBits(x) < 0 ? y : x;
        }
        return x > y ? x : y;
    }

    static double min(double x, double y) {
        if (x == Double.NEGATIVE_INFINITY || y == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.NaN;
        }
        if (x == 0 && x == y) {
            return Double.doubleToRawLongBits(x) < 0 ? x : y;
        }
        return x < y ? x : y;
    }

    /** Go's Log2: exact for powers of two. */
    static double log2(double x) {
        if (Double.isNaN(x) || x <= 0 || Double.isInfinite(x)) {
            return Math.log(x) / LN2;
        }
        int exp = Math.getExponent(x);
        double frac;
        if (exp == Double.MIN_EXPONENT - 1) { // subnormal
            double scaled = x * 0x1p54;
            exp = Math.getExponent(scaled) - 54;
            frac = scaled / Math.scalb(1.0, Math.getExponent(scaled));
        } else {
            frac = x / Math.scalb(1.0, exp);
        }
        // Go's Frexp returns frac in [0.5, 1): shift by one.
        frac /= 2;
        exp += 1;
        if (frac == 0.5) {
            return exp - 1;
        }
        return Math.log(frac) * (1 / LN2) + exp;
    }

    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return x;
        }
        double a = Math.abs(x);
        double r;
        if (a > 0x1p28) {
            r = Math.log(a) + LN2;
        } else if (a > 2) {
            r = Math.log(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
        } else if (a < 0x1p-28) {
            r = a;
        } else {
            double t = a * a;
            r = Math.log1p(a + t / (1 + Math.sqrt(1 + t)));
        }
        return x < 0 ? -r : r;
    }

    static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return 0;
        }
        if (x >= 0x1p28) {
            return Math.log(x) + LN2;
        }
        if (x > 2) {
            return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
        }
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        double a = Math.abs(x);
        double t;
        if (a < 0x1p-28) {
            t = a;
        } else if (a < 0.5) {
            t = a + a;
            t = 0.5 * Math.log1p(t + t * a / (1 - a));
        } else {
            t = 0.5 * Math.log1p((a + a) / (1 - a));
        }
        return x < 0 ? -t : t;
    }

    /** Go's float-to-int64 conversion on amd64: out of range and NaN give MinInt64. */
    static long toInt64(double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) v;
    }
}
