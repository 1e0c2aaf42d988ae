package io.thanosj.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's duration syntax ({@code 1y2w3d4h5m6s7ms}), parsed and printed like Prometheus's
 * {@code model.Duration}: one implementation for PromQL, flags and config files. Units must be in
 * decreasing order and appear once.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile(
            "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {
        365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
    };
    /** Go's time.Duration counts nanoseconds in an int64, so durations beyond ~292 years overflow. */
    private static final long MAX_MS = Long.MAX_VALUE / 1_000_000L;

    private Durations() {}

    /**
     * Parses a duration into milliseconds.
     *
     * @throws IllegalArgumentException with Prometheus's message for malformed or overflowing input
     */
    public static long parse(String s) {
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a valid duration string: \"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        long total = 0;
        for (int i = 0; i < UNIT_MS.length; i++) {
            String g = m.group(2 + 2 * i);
            if (g == null) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(g);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range");
            }
            if (n > MAX_MS / UNIT_MS[i]) {
                throw new IllegalArgumentException("duration out of range");
            }
            total += n * UNIT_MS[i];
            if (total > MAX_MS || total < 0) {
                throw new IllegalArgumentException("duration out of range");
            }
        }
        return total;
    }

    /** Milliseconds in the duration; a {@link ThanosException} naming {@code what} (a flag or field) when invalid. */
    public static long parseMillis(String what, String s) {
        try {
            return parse(s == null ? "" : s);
        } catch (IllegalArgumentException e) {
            throw ThanosException.badData("invalid " + what + " \"" + s + "\": " + e.getMessage());
        }
    }

    /** Prints milliseconds as Prometheus does: {@code 1h30m}, {@code 90d} rather than {@code 12w6d}, {@code 0s}. */
    public static String format(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        for (int i = 0; i < UNITS.length; i++) {
            long mult = UNIT_MS[i];
            boolean exactOnly = i < 2; // years and weeks only when they divide evenly
            if (exactOnly && ms % mult != 0) {
                continue;
            }
            long v = ms / mult;
            if (v > 0) {
                sb.append(v).append(UNITS[i]);
                ms -= v * mult;
            }
        }
        return sb.toString();
    }
}
