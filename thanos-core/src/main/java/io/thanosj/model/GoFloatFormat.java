package io.thanosj.model;

import java.math.BigInteger;

/**
 * Go's {@code strconv.AppendFloat(dst, v, fmt, -1, 64)} for {@code fmt} {@code 'f'}, {@code 'e'} and
 * {@code 'g'}, written into a caller's {@code char[]} without allocating. The digits are Go's: the
 * shortest decimal that parses back to {@code v}, and among those the closest to {@code v}. JDK 17's
 * {@code Double.toString} cannot stand in for it: it is sometimes one digit longer (JDK-4511638,
 * fixed in JDK 19), and it is slow.
 *
 * <p>The digits come from Schubfach (Raffaello Giulietti, "The Schubfach way to render doubles",
 * 2020). With {@code v = c 2^q}, the decimals that round to {@code v} form an interval of width
 * {@code 2^q} (three quarters of it below a power of two). For {@code k = floor(log10(2^q))} that
 * width lies in {@code [10^k, 10^(k+1))}, so at most one multiple of {@code 10^(k+1)} and at least
 * one of {@code 10^k} fall inside: the algorithm tries the multiples of {@code 10^(k+1)} next to
 * {@code v} first, then the two multiples of {@code 10^k} next to it, picking the closer. The
 * scaled bounds {@code 4 v 10^-k} come from one 126-bit fixed-point approximation of {@code 10^-k}
 * per {@code k} (a table built once from BigInteger) and a 64x126-bit product rounded to odd, so
 * that a bound landing exactly on a decimal is still recognised as exact.
 */
public final class GoFloatFormat {
    /** Enough for any double in any of the three formats ({@code -0.} + 323 zeros + 17 digits). */
    public static final int MAX_CHARS = 350;

    private static final int F = 0;
    private static final int E = 1;
    private static final int G = 2;

    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << 52;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    private static final long MASK_63 = Long.MAX_VALUE;

    /** For each k in [K_MIN, K_MAX]: g1, g0 with {@code g = g1 2^63 + g0 = floor(10^-k 2^-r) + 1}, 2^125 <= g < 2^126. */
    private static final long[] POW10_INV = new long[2 * (K_MAX - K_MIN + 1)];

    private static final long[] POW10 = new long[19];
    private static final char[] PAIRS = new char[200];

    static {
        BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int k = K_MIN; k <= K_MAX; k++) {
            int e = -k;
            int r = flog2pow10(e) - 125;
            BigInteger p = BigInteger.TEN.pow(Math.abs(e));
            BigInteger g;
            if (e >= 0) {
                g = r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
            } else {
                g = BigInteger.ONE.shiftLeft(-r).divide(p); // e < 0 implies r < 0
            }
            g = g.add(BigInteger.ONE);
            POW10_INV[2 * (k - K_MIN)] = g.shiftRight(63).longValueExact();
            POW10_INV[2 * (k - K_MIN) + 1] = g.and(mask63).longValueExact();
        }
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (char) ('0' + i / 10);
            PAIRS[2 * i + 1] = (char) ('0' + i % 10);
        }
    }

    private GoFloatFormat() {}

    /** {@code strconv.AppendFloat(v, 'f', -1, 64)} into {@code out} from {@code off}; returns the end offset. */
    public static int appendF(double v, char[] out, int off) {
        return format(v, F, out, off);
    }

    /** {@code strconv.AppendFloat(v, 'e', -1, 64)}: {@code 1e-07}, {@code -2.5e+21}; returns the end offset. */
    public static int appendE(double v, char[] out, int off) {
        return format(v, E, out, off);
    }

    /** {@code strconv.AppendFloat(v, 'g', -1, 64)}, also {@code fmt.Sprint(v)}; returns the end offset. */
    public static int appendG(double v, char[] out, int off) {
        return format(v, G, out, off);
    }

    public static String formatF(double v) {
        char[] buf = new char[MAX_CHARS];
        return new String(buf, 0, appendF(v, buf, 0));
    }

    public static String formatE(double v) {
        char[] buf = new char[MAX_CHARS];
        return new String(buf, 0, appendE(v, buf, 0));
    }

    public static String formatG(double v) {
        char[] buf = new char[MAX_CHARS];
        return new String(buf, 0, appendG(v, buf, 0));
    }

    private static int format(double v, int fmt, char[] out, int off) {
        long bits = Double.doubleToRawLongBits(v);
        int bq = (int) (bits >>> 52) & 0x7ff;
        long t = bits & (C_MIN - 1);
        int p = off;
        if (bq == 0x7ff) {
            return t != 0 ? put("NaN", out, p) : put(bits < 0 ? "-Inf" : "+Inf", out, p);
        }
        if (bits < 0) {
            out[p++] = '-';
        }
        if (bq == 0 && t == 0) {
            return put(fmt == E ? "0e+00" : "0", out, p);
        }
        long c;
        int q;
        int dk = 0;
        if (bq != 0) {
            c = C_MIN | t;
            q = bq - 1075;
            // Integers below 2^53, most counters and gauges: the value itself is the shortest.
            if (q <= 0 && q >= -52 && (c & ((1L << -q) - 1)) == 0) {
                return layout(c >> -q, 0, fmt != F, fmt, out, p);
            }
        } else {
            q = Q_MIN;
            // The two smallest subnormals are too coarse for the table's precision: scale them by
            // ten, which keeps their shortest decimals (5e-324, 1e-323) inside the narrower interval.
            if (t < 3) {
                c = 10 * t;
                dk = -1;
            } else {
                c = t;
            }
        }
        int open = (int) c & 1; // round half to even: the bounds round to v only when c is even
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            cbl = cb - 1; // below a power of two the next smaller double is half as far
            k = flog10ThreeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        int i = 2 * (k - K_MIN);
        long g1 = POW10_INV[i];
        long g0 = POW10_INV[i + 1];
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        long f;
        long sp10 = s / 10 * 10;
        long tp10 = sp10 + 10;
        boolean upIn = vbl + open <= sp10 << 2;
        boolean wpIn = (tp10 << 2) + open <= vbr;
        if (upIn != wpIn) {
            f = upIn ? sp10 : tp10;
        } else {
            long s1 = s + 1;
            boolean uIn = vbl + open <= s << 2;
            boolean wIn = (s1 << 2) + open <= vbr;
            if (uIn != wIn) {
                f = uIn ? s : s1;
            } else {
                long cmp = vb - ((s + s1) << 1); // v against the midpoint of s and s + 1, in quarters
                f = cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : s1;
            }
        }
        return layout(f, k + dk, true, fmt, out, p);
    }

    /** {@code floor(g cp / 2^127)}, its lowest bit set when the discarded part is not zero. */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long hi = y1 + (z >>> 63);
        return hi | ((z & MASK_63) + MASK_63) >>> 63;
    }

    /** {@code floor(q log10(2))} for |q| <= 2000 or so (checked by the tests over the range used). */
    static int flog10pow2(int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    /** {@code floor(q log10(2) + log10(3/4))}. */
    static int flog10ThreeQuartersPow2(int q) {
        return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    /** {@code floor(e log2(10))}. */
    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /** Writes {@code f 10^e} (f > 0) in format {@code fmt}; trailing zeros of f are dropped when {@code strip}. */
    private static int layout(long f, int e, boolean strip, int fmt, char[] out, int p) {
        if (strip) {
            while (f % 100_000_000L == 0) {
                f /= 100_000_000L;
                e += 8;
            }
            if (f % 10_000 == 0) {
                f /= 10_000;
                e += 4;
            }
            if (f % 100 == 0) {
                f /= 100;
                e += 2;
            }
            if (f % 10 == 0) {
                f /= 10;
                e++;
            }
        }
        int nd = digitCount(f);
        int dp = nd + e; // value = 0.d1d2...dn x 10^dp
        if (fmt == E || fmt == G && (dp - 1 < -4 || dp - 1 >= 6)) {
            return layoutE(f, nd, dp - 1, out, p);
        }
        if (dp <= 0) {
            out[p++] = '0';
            out[p++] = '.';
            for (int z = dp; z < 0; z++) {
                out[p++] = '0';
            }
            writeDigits(f, out, p + nd);
            return p + nd;
        }
        if (dp >= nd) {
            writeDigits(f, out, p + nd);
            int end = p + dp;
            for (int z = p + nd; z < end; z++) {
                out[z] = '0';
            }
            return end;
        }
        writeDigits(f, out, p + nd + 1);
        for (int z = 0; z < dp; z++) {
            out[p + z] = out[p + z + 1];
        }
        out[p + dp] = '.';
        return p + nd + 1;
    }

    private static int layoutE(long f, int nd, int exp, char[] out, int p) {
        writeDigits(f, out, p + nd + 1);
        out[p] = out[p + 1];
        if (nd > 1) {
            out[p + 1] = '.';
            p += nd + 1;
        } else {
            p++;
        }
        out[p++] = 'e';
        if (exp < 0) {
            out[p++] = '-';
            exp = -exp;
        } else {
            out[p++] = '+';
        }
        if (exp >= 100) {
            out[p++] = (char) ('0' + exp / 100);
            exp %= 100;
        }
        out[p++] = PAIRS[2 * exp];
        out[p++] = PAIRS[2 * exp + 1];
        return p;
    }

    static int digitCount(long f) {
        int t = (64 - Long.numberOfLeadingZeros(f)) * 1233 >>> 12; // floor(log10(2^bits)), at most one short
        return f >= POW10[t] ? t + 1 : t;
    }

    /** Writes the decimal digits of {@code f > 0} so that the last one lands at {@code end - 1}. */
    private static void writeDigits(long f, char[] out, int end) {
        int p = end;
        while (f > Integer.MAX_VALUE) {
            long hi = f / 100_000_000L;
            int lo = (int) (f - hi * 100_000_000L);
            for (int j = 0; j < 4; j++) {
                int r = lo % 100;
                lo /= 100;
                out[--p] = PAIRS[2 * r + 1];
                out[--p] = PAIRS[2 * r];
            }
            f = hi;
        }
        int x = (int) f;
        while (x >= 100) {
            int r = x % 100;
            x /= 100;
            out[--p] = PAIRS[2 * r + 1];
            out[--p] = PAIRS[2 * r];
        }
        if (x >= 10) {
            out[--p] = PAIRS[2 * x + 1];
            out[--p] = PAIRS[2 * x];
        } else {
            out[--p] = (char) ('0' + x);
        }
    }

    private static int put(String s, char[] out, int p) {
        s.getChars(0, s.length(), out, p);
        return p + s.length();
    }
}
