package io.thanosj.cli.tools;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Go's formatting of durations, RFC 3339 times and English-grouped integers, so output matches Thanos's. */
final class GoFormat {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

    private GoFormat() {
    }

    /** Go's {@code time.Unix(ms/1000, 0).Format(time.RFC3339)} in {@code zone}. */
    static String time(long millis, ZoneId zone) {
        return RFC3339.format(Instant.ofEpochSecond(millis / 1000).atZone(zone));
    }

    /** Go's {@code time.Duration(ms * time.Millisecond).String()}. */
    static String millis(long ms) {
        return duration(ms * 1_000_000L);
    }

    /** Go's {@code time.Duration.String()}: "2h0m0s", "1m30s", "1.5s", "500ms", "0s". */
    static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean neg = nanos < 0;
        // Long.MIN_VALUE cannot be negated; Go prints it from unsigned arithmetic, which this mirrors.
        long u = neg ? -nanos : nanos;
        StringBuilder b = new StringBuilder();
        if (u < 1_000_000_000L && u > 0) {
            if (u < 1_000L) {
                b.append(u).append("ns");
            } else if (u < 1_000_000L) {
                b.append(fraction(u, 3)).append("µs");
            } else {
                b.append(fraction(u, 6)).append("ms");
            }
        } else {
            long totalSeconds = u / 1_000_000_000L;
            long fracNanos = u % 1_000_000_000L;
            long hours = totalSeconds / 3600;
            long minutes = (totalSeconds / 60) % 60;
            long seconds = totalSeconds % 60;
            if (hours > 0) {
                b.append(hours).append('h');
            }
            if (hours > 0 || minutes > 0) {
                b.append(minutes).append('m');
            }
            b.append(seconds);
            if (fracNanos > 0) {
                String f = String.format(Locale.ROOT, "%09d", fracNanos).replaceFirst("0+$", "");
                b.append('.').append(f);
            }
            b.append('s');
        }
        return neg ? "-" + b : b.toString();
    }

    /** {@code v / 10^digits} with the trailing zeros of the fraction dropped, as Go's fmtFrac. */
    private static String fraction(long v, int digits) {
        long scale = 1;
        for (int i = 0; i < digits; i++) {
            scale *= 10;
        }
        long whole = v / scale;
        long frac = v % scale;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format(Locale.ROOT, "%0" + digits + "d", frac).replaceFirst("0+$", "");
        return whole + "." + f;
    }

    /** golang.org/x/text's English {@code %d}: "1,234,567". */
    static String grouped(long v) {
        return String.format(Locale.ENGLISH, "%,d", v);
    }
}
