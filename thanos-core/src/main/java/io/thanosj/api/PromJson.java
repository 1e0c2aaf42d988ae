package io.thanosj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import io.thanosj.model.GoFloatFormat;

/**
 * Prometheus's number formats in JSON: timestamps as seconds with up to three decimals (written
 * from the integer milliseconds, no float rounding) and sample values as strings in Go's
 * shortest-digit formats ({@link GoFloatFormat}), with {@code NaN}, {@code +Inf} and {@code -Inf}:
 * samples of vectors and matrices switch to an exponent for tiny and huge values, scalars never do.
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
        char[] buf = new char[24];
        return new String(buf, 0, appendTimestamp(ms, buf, 0));
    }

    /** Per-thread scratch for the value writers: the longest plain double is some 330 characters, a point 32 more. */
    private static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[GoFloatFormat.MAX_CHARS + 32]);

    /**
     * Writes a vector or matrix sample value as a JSON string, as Prometheus's
     * {@code jsonutil.MarshalValue} does ({@link #formatSample}), without a String.
     */
    public static void writeValue(JsonGenerator g, double v) throws IOException {
        char[] buf = SCRATCH.get();
        g.writeString(buf, 0, formatSample(v, buf));
    }

    /**
     * Writes a vector or matrix point, {@code [t,"v"]}, as one raw value: the same text as
     * {@link #writeTimestamp} and {@link #writeValue} inside an array, in one generator call
     * instead of four (range results write hundreds of thousands of points). Neither part ever
     * needs escaping.
     */
    public static void writePoint(JsonGenerator g, long t, double v) throws IOException {
        char[] buf = SCRATCH.get();
        buf[0] = '[';
        int p = appendTimestamp(t, buf, 1);
        buf[p++] = ',';
        buf[p++] = '"';
        p += formatSample(v, buf, p);
        buf[p++] = '"';
        buf[p++] = ']';
        g.writeRawValue(buf, 0, p);
    }

    /** Seconds with up to three decimals, as Prometheus's {@code jsonutil.MarshalTimestamp}; returns the end. */
    static int appendTimestamp(long ms, char[] out, int p) {
        long sec = ms / 1000;
        int frac = (int) (ms % 1000);
        if (ms < 0) {
            out[p++] = '-';
            sec = -sec; // both negative; negating cannot overflow after the division
            frac = -frac;
        }
        p = appendDigits(sec, out, p);
        if (frac != 0) {
            out[p++] = '.';
            if (frac < 100) {
                out[p++] = '0';
            }
            if (frac < 10) {
                out[p++] = '0';
            }
            p = appendDigits(frac, out, p);
        }
        return p;
    }

    private static int appendDigits(long x, char[] out, int p) {
        int len = 1;
        for (long r = x; r >= 10; r /= 10) {
            len++;
        }
        for (int i = p + len - 1; i >= p; i--) {
            out[i] = (char) ('0' + x % 10);
            x /= 10;
        }
        return p + len;
    }

    /**
     * Writes a scalar result, {@code [t, "v"]}, as Prometheus's {@code promql.Scalar.MarshalJSON}
     * does: the value in Go's {@code 'f'} format even where a sample value would take an exponent.
     */
    public static void writeScalar(JsonGenerator g, long t, double v) throws IOException {
        g.writeStartArray();
        writeTimestamp(g, t);
        char[] buf = SCRATCH.get();
        g.writeString(buf, 0, GoFloatFormat.appendF(v, buf, 0));
        g.writeEndArray();
    }

    /** A vector or matrix sample value as Prometheus 2.42 writes it, see {@link #formatSample(double, char[])}. */
    public static String formatSample(double v) {
        char[] buf = new char[GoFloatFormat.MAX_CHARS];
        return new String(buf, 0, formatSample(v, buf));
    }

    /**
     * Prometheus's {@code jsonutil.MarshalValue} into {@code out}: Go's shortest {@code 'e'} format
     * ({@code 1e-07}, {@code 1.5e+21}) when {@code 0 < |v| < 1e-6} or {@code |v| >= 1e21}, as
     * JavaScript and Go's encoding/json switch, else the shortest {@code 'f'} format; {@code NaN},
     * {@code +Inf}, {@code -Inf}. Returns the length.
     */
    static int formatSample(double v, char[] out) {
        return formatSample(v, out, 0);
    }

    /** {@link #formatSample(double, char[])} at {@code at}; returns the length written. */
    static int formatSample(double v, char[] out, int at) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-6 || a >= 1e21)) {
            return GoFloatFormat.appendE(v, out, at) - at;
        }
        return GoFloatFormat.appendF(v, out, at) - at;
    }
}
