package io.thanosj.model;

/**
 * Prometheus's duration syntax ({@code 1h30m}, {@code 500ms}, {@code 2d}, {@code 1y}), used by
 * flags and config files. Units must be in decreasing order and appear once, as in Prometheus.
 */
public final class Durations {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};

    private Durations() {}

    /** Milliseconds in the duration; throws a {@link ThanosException} naming {@code what} when invalid. */
    public static long parseMillis(String what, String s) {
        if (s == null || s.isEmpty()) {
            throw ThanosException.badData("invalid " + what + ": empty duration string");
        }
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int pos = 0;
        int lastUnit = -1;
        while (pos < s.length()) {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw bad(what, s);
            }
            long n;
            try {
                n = Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw bad(what, s);
            }
            int unit = -1;
            for (int u = 0; u < UNITS.length; u++) {
                String name = UNITS[u];
                if (s.startsWith(name, pos) && !(name.equals("m") && s.startsWith("ms", pos))) {
                    unit = u;
                    pos += name.length();
                    break;
                }
            }
            if (unit < 0 || unit <= lastUnit) {
                throw bad(what, s);
            }
            lastUnit = unit;
            if (n > Long.MAX_VALUE / MILLIS[unit] || total > Long.MAX_VALUE - n * MILLIS[unit]) {
                throw ThanosException.badData("invalid " + what + " \"" + s + "\": duration out of range");
            }
            total += n * MILLIS[unit];
        }
        return total;
    }

    private static ThanosException bad(String what, String s) {
        return ThanosException.badData("invalid " + what + " \"" + s + "\": not a valid duration string");
    }

    /** Formats milliseconds the way Prometheus prints durations, e.g. {@code 1h30m}. */
    public static String format(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        for (int u = 0; u < UNITS.length; u++) {
            if (ms >= MILLIS[u]) {
                sb.append(ms / MILLIS[u]).append(UNITS[u]);
                ms %= MILLIS[u];
            }
        }
        return sb.toString();
    }
}
