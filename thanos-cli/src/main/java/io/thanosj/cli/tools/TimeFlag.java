package io.thanosj.cli.tools;

import io.thanosj.model.ThanosException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thanos's time-or-duration flag values ({@code --min-time}, {@code --max-time}): an RFC 3339 time,
 * or a duration relative to now such as {@code -1d} or {@code 2h45m} (units ms, s, m, h, d, w, y).
 */
final class TimeFlag {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

    private TimeFlag() {
    }

    /** Milliseconds since the epoch. */
    static long parse(String flag, String value, LongSupplier nowMillis) {
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException notATime) {
            // Fall through to a relative duration.
        }
        String s = value;
        boolean neg = s.startsWith("-");
        if (neg) {
            s = s.substring(1);
        }
        Matcher m = PART.matcher(s);
        long total = 0;
        int at = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total += n * switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                default -> 365 * 86_400_000L;
            };
            at = m.end();
        }
        if (s.isEmpty() || at != s.length()) {
            throw ThanosException.badData("flag " + flag + ": expected an RFC 3339 time or a duration such as -1d or 2h45m, got \""
                    + value + "\"");
        }
        return nowMillis.getAsLong() + (neg ? -total : total);
    }

    static long now() {
        return Instant.now().toEpochMilli();
    }
}
