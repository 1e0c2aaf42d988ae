package io.thanosj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Prometheus's number formats in JSON: timestamps as seconds with up to three decimals (written
 * from the integer milliseconds, no float rounding) and sample values as strings in Go's
 * shortest {@code 'f'} format, with {@code NaN}, {@code +Inf} and {@code -Inf}.
 */
public final class PromJson {
    private PromJson() {}

    public static void writeTimestamp(JsonGenerator g, long ms) throws IOException {
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

    public static void writeValue(JsonGenerator g, double v) throws IOException {
        g.writeString(formatValue(v));
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}. */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String plain = new BigDecimal(Double.toString(v)).toPlainString();
        if (plain.indexOf('.') >= 0) {
            int end = plain.length();
            while (plain.charAt(end - 1) == '0') {
                end--;
            }
            if (plain.charAt(end - 1) == '.') {
                end--;
            }
            plain = plain.substring(0, end);
        }
        return plain;
    }
}
