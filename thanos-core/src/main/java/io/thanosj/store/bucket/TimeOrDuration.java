package io.thanosj.store.bucket;

import io.thanosj.model.Durations;
import io.thanosj.model.ThanosException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A point in time given as an RFC 3339 timestamp or as a duration relative to now ({@code -2w},
 * {@code 2h45m}), as Thanos's {@code --min-time} and {@code --max-time} take it. A relative value is
 * resolved against the clock each time it is used, so a long-running store slides its window.
 */
public record TimeOrDuration(String text, long absoluteMillis, long relativeMillis, boolean relative) {
    /** Thanos's defaults: the widest window. */
    public static final TimeOrDuration MIN = parse("--min-time", "0000-01-01T00:00:00Z");
    public static final TimeOrDuration MAX = parse("--max-time", "9999-12-31T23:59:59Z");

    /** Parses {@code s}; {@code flag} names the flag in errors. */
    public static TimeOrDuration parse(String flag, String s) {
        if (s == null || s.isBlank()) {
            throw ThanosException.badData("invalid " + flag + ": empty value; use an RFC3339 time or a duration such as -2w");
        }
        try {
            return new TimeOrDuration(s, Instant.parse(s).toEpochMilli(), 0, false);
        } catch (DateTimeParseException | ArithmeticException e) {
            // Not a timestamp: a duration.
        }
        boolean neg = s.startsWith("-");
        String d = neg || s.startsWith("+") ? s.substring(1) : s;
        long ms;
        try {
            ms = Durations.parseMillis(flag, d);
        } catch (ThanosException e) {
            throw ThanosException.badData("invalid " + flag + " \"" + s
                    + "\": neither an RFC3339 time (2006-01-02T15:04:05Z) nor a duration (-2w, 2h45m)");
        }
        return new TimeOrDuration(s, 0, neg ? -ms : ms, true);
    }

    /** Milliseconds since the epoch, relative values taken from {@code nowMillis}. */
    public long millis(long nowMillis) {
        return relative ? nowMillis + relativeMillis : absoluteMillis;
    }

    @Override
    public String toString() {
        return text;
    }
}
