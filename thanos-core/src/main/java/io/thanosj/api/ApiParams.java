package io.thanosj.api;

import io.thanosj.model.Durations;
import io.thanosj.model.ThanosException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses API parameters exactly as Prometheus does, with its error messages. */
public final class ApiParams {
    /** Prometheus's bounds for open-ended start/end parameters (series, labels). */
    public static final long MIN_TIME = -9223309901257974L;
    public static final long MAX_TIME = 9223309901257974L;

    private ApiParams() {}

    /**
     * A timestamp in milliseconds from Unix seconds with an optional fraction, or RFC 3339.
     * Null or empty gives {@code dflt}.
     */
    public static long time(String name, String value, long dflt) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        try {
            BigDecimal secs = new BigDecimal(value);
            BigDecimal ms = secs.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN);
            if (ms.compareTo(BigDecimal.valueOf(MAX_TIME)) > 0 || ms.compareTo(BigDecimal.valueOf(MIN_TIME)) < 0) {
                return ms.signum() > 0 ? MAX_TIME : MIN_TIME;
            }
            return ms.longValueExact();
        } catch (NumberFormatException | ArithmeticException ignored) {
            // Not a number: try RFC 3339 below.
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ThanosException.badData("invalid parameter \"" + name + "\": cannot parse \"" + value + "\" to a valid timestamp");
        }
    }

    /** A duration in milliseconds: float seconds ({@code 15}, {@code 0.5}) or a Prometheus duration ({@code 1m}). */
    public static long duration(String name, String value) {
        try {
            double d = Double.parseDouble(value);
            double ms = d * 1000;
            if (Double.isNaN(ms) || Double.isInfinite(ms) || ms > Long.MAX_VALUE || ms < Long.MIN_VALUE) {
                throw ThanosException.badData("invalid parameter \"" + name + "\": cannot parse \"" + value
                        + "\" to a valid duration. It overflows int64");
            }
            return Math.round(ms);
        } catch (NumberFormatException ignored) {
            // Not a float: try the duration syntax.
        }
        try {
            return Durations.parseMillis(name, value);
        } catch (ThanosException e) {
            throw ThanosException.badData("invalid parameter \"" + name + "\": cannot parse \"" + value + "\" to a valid duration");
        }
    }

    /** Validates a range query's start, end and step as Prometheus does (including the 11,000-point limit). */
    public static void checkRange(long start, long end, long step) {
        if (end < start) {
            throw ThanosException.badData("invalid parameter \"end\": end timestamp must not be before start time");
        }
        if (step <= 0) {
            throw ThanosException.badData("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((end - start) / step > 11000) {
            throw ThanosException.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
    }
}
