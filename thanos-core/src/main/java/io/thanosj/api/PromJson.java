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

    public static void writeValue(JsonGenerator g, double v) throws IOException {
        g.writeString(formatValue(v));
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, as Prometheus writes sample values. */
    public static String formatValue(double v) {
        return GoStrconv.formatFloatPlain(v);
    }
}
