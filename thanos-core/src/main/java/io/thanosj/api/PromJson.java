package io.thanosj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import io.thanosj.promql.parser.GoStrconv;

/**
 * Prometheus's number formats in JSON: timestamps as seconds with up to three decimals (written
 * from the integer milliseconds, no float rounding) and sample values as strings in Go's
 * shortest {@code 'f'} format, with {@code NaN}, {@code +Inf} and {@code -Inf}.
 */
public final class PromJson {
    private PromJson() {}

    public static void writeTimestamp(JsonGenerator g, long ms) throws IOException {
        if (ms % 1000 == 0) {
            g.writeNumber(ms / 1000); // whole seconds, the usual step: digits written without a String
            return;
        }
        g.writeNumber(formatTimestamp(ms));
    }

    static String formatTimestamp(long ms) {
        StringBuilder sb = new StringBuilder(20);
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        sb.append(ms / 1000);
        long frac = ms % 1000;
        if (frac != 0) {
            sb.append('.');
            if (frac < 100) {
                sb.append('0');
            }
            if (frac < 10) {
                sb.append('0');
            }
            sb.append(frac);
        }
        return sb.toString();
    }

    /** Per-thread scratch for {@link #writeValue}: the longest plain double is some 330 characters. */
    private static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[400]);

    /** Writes a sample value as a JSON string, as {@link #formatValue} formats it, without a String. */
    public static void writeValue(JsonGenerator g, double v) throws IOException {
        char[] buf = SCRATCH.get();
        int n = format(v, buf);
        g.writeString(buf, 0, n);
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, as Prometheus writes sample values. */
    public static String formatValue(double v) {
        char[] buf = new char[400];
        return new String(buf, 0, format(v, buf));
    }

    /**
     * {@link GoStrconv#formatFloatPlain} into {@code out}, with the same digits (those of
     * {@link Double#toString}, trailing zeros dropped) but without BigDecimal, which cost more than
     * the rest of writing a range result. Integers below 2^53, most counters and gauges, are written
     * from their long value. Returns the length.
     */
    static int format(double v, char[] out) {
        if (Double.isNaN(v)) {
            return copy("NaN", out, 0);
        }
        if (Double.isInfinite(v)) {
            return copy(v > 0 ? "+Inf" : "-Inf", out, 0);
        }
        if (v == 0) {
            return copy(Double.doubleToRawLongBits(v) < 0 ? "-0" : "0", out, 0);
        }
        int p = 0;
        if (v < 0) {
            out[p++] = '-';
        }
        double a = Math.abs(v);
        if (a < 0x1p53 && a == Math.rint(a)) {
            return writeLong((long) a, out, p);
        }
        // Double.toString: "ddd.ddd" or "d.dddE[-]x"; collect the significant digits and where the
        // decimal point falls (value = 0.digits * 10^dp).
        String s = Double.toString(a);
        int e = s.indexOf('E');
        int mantEnd = e < 0 ? s.length() : e;
        int exp = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
        char[] digits = new char[mantEnd];
        int nd = 0;
        int dp = 0;
        boolean seenPoint = false;
        for (int i = 0; i < mantEnd; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                seenPoint = true;
                continue;
            }
            if (nd == 0 && c == '0') {
                if (seenPoint) {
                    dp--; // a leading zero after the point moves the point left
                }
                continue;
            }
            digits[nd++] = c;
            if (!seenPoint) {
                dp++;
            }
        }
        while (nd > 0 && digits[nd - 1] == '0') {
            nd--;
        }
        dp += exp;
        if (dp <= 0) {
            out[p++] = '0';
            out[p++] = '.';
            for (int i = dp; i < 0; i++) {
                out[p++] = '0';
            }
            System.arraycopy(digits, 0, out, p, nd);
            return p + nd;
        }
        if (dp >= nd) {
            System.arraycopy(digits, 0, out, p, nd);
            p += nd;
            for (int i = nd; i < dp; i++) {
                out[p++] = '0';
            }
            return p;
        }
        System.arraycopy(digits, 0, out, p, dp);
        p += dp;
        out[p++] = '.';
        System.arraycopy(digits, dp, out, p, nd - dp);
        return p + nd - dp;
    }

    private static int writeLong(long x, char[] out, int p) {
        int len = 1;
        for (long t = x; t >= 10; t /= 10) {
            len++;
        }
        for (int i = p + len - 1; i >= p; i--) {
            out[i] = (char) ('0' + x % 10);
            x /= 10;
        }
        return p + len;
    }

    private static int copy(String s, char[] out, int p) {
        s.getChars(0, s.length(), out, p);
        return p + s.length();
    }
}
