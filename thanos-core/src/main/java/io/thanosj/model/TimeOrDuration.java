package io.thanosj.model;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;

/**
 * Thanos's {@code TimeOrDurationValue} flag (e.g. {@code --min-time}): an RFC 3339 time, or a
 * duration relative to now such as {@code -2d} or {@code 2h45m}, evaluated whenever it is read.
 */
public final class TimeOrDuration {
    private TimeOrDuration() {}

    /** Milliseconds since the epoch, as a supplier because a duration moves with the clock. */
    public static LongSupplier parse(String flag, String value) {
        try {
            long t = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            return () -> t;
        } catch (DateTimeParseException e) {
            // Not a time: a duration.
        }
        boolean minus = value.startsWith("-");
        long d;
        try {
            d = Durations.parseMillis(flag, minus ? value.substring(1) : value);
        } catch (ThanosException e) {
            throw ThanosException.badData("invalid " + flag + " \"" + value
                    + "\": want an RFC 3339 time or a duration such as -1d or 2h45m");
        }
        long offset = minus ? -d : d;
        return () -> System.currentTimeMillis() + offset;
    }
}
