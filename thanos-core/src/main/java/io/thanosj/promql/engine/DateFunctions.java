package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * year(), month(), day_of_month(), ... in UTC, over the step time (no argument) or over sample values
 * read as Unix seconds. The calendar arithmetic is Go's ({@code time.absDate} on an unsigned
 * "absolute" second count), so that out-of-range input such as NaN gives the same odd dates as in
 * Prometheus instead of an error.
 */
final class DateFunctions {
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long DAYS_PER_400_YEARS = 365 * 400 + 97;
    private static final long DAYS_PER_100_YEARS = 365 * 100 + 24;
    private static final long DAYS_PER_4_YEARS = 365 * 4 + 1;
    private static final long ABSOLUTE_ZERO_YEAR = -292277022399L;
    /** Go's unixToInternal + internalToAbsolute: seconds from the absolute zero year to 1970. */
    private static final long UNIX_TO_ABSOLUTE = 62135596800L + 9223371966579724800L;
    private static final int[] DAYS_BEFORE = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

    private DateFunctions() {}

    static StepVector eval(Evaluator ev, String name, StepVector arg, Grid g) {
        if (arg == null) {
            StepSeries s = ev.newSeries(Labels.EMPTY, g.n);
            for (int i = 0; i < g.n; i++) {
                s.set(i, field(name, g.at(i) / 1000));
            }
            List<StepSeries> out = new ArrayList<>(1);
            out.add(s);
            return new StepVector(g.n, out);
        }
        for (StepSeries s : arg.series) {
            for (int i = 0; i < g.n; i++) {
                if (s.has(i)) {
                    s.v[i] = field(name, GoMath.toInt64(s.v[i]));
                }
            }
        }
        return StepVector.dropMetricNames(g.n, arg.series);
    }

    static double field(String name, long unixSeconds) {
        long abs = unixSeconds + UNIX_TO_ABSOLUTE; // wraps like Go's int64 arithmetic, then read unsigned
        switch (name) {
            case "hour":
                return Long.remainderUnsigned(abs, SECONDS_PER_DAY) / 3600;
            case "minute":
                return Long.remainderUnsigned(abs, 3600) / 60;
            case "day_of_week":
                // The absolute zero day was a Monday.
                return Long.remainderUnsigned(abs + SECONDS_PER_DAY, 7 * SECONDS_PER_DAY) / SECONDS_PER_DAY;
            default:
                break;
        }
        long[] d = absDate(abs);
        long year = d[0];
        int yday = (int) d[1];
        return switch (name) {
            case "year" -> year;
            case "day_of_year" -> yday + 1;
            case "month" -> monthDay(year, yday)[0];
            case "day_of_month" -> monthDay(year, yday)[1];
            case "days_in_month" -> daysIn(monthDay(year, yday)[0], year);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** {year, zero-based day of year} of an absolute second count, as Go's time.absDate computes them. */
    static long[] absDate(long abs) {
        long d = Long.divideUnsigned(abs, SECONDS_PER_DAY);
        long n = d / DAYS_PER_400_YEARS; // d < 2^48: signed division is exact
        long y = 400 * n;
        d -= DAYS_PER_400_YEARS * n;
        n = d / DAYS_PER_100_YEARS;
        n -= n >> 2;
        y += 100 * n;
        d -= DAYS_PER_100_YEARS * n;
        n = d / DAYS_PER_4_YEARS;
        y += 4 * n;
        d -= DAYS_PER_4_YEARS * n;
        n = d / 365;
        n -= n >> 2;
        y += n;
        d -= 365 * n;
        return new long[] {y + ABSOLUTE_ZERO_YEAR, d};
    }

    /** {month 1..12, day 1..31} of a zero-based day of the year. */
    static long[] monthDay(long year, int yday) {
        int day = yday;
        if (isLeap(year)) {
            if (day > 31 + 29 - 1) {
                day--; // after the leap day: pretend it was not there
            } else if (day == 31 + 29 - 1) {
                return new long[] {2, 29};
            }
        }
        int month = day / 31;
        int end = DAYS_BEFORE[month + 1];
        int begin;
        if (day >= end) {
            month++;
            begin = end;
        } else {
            begin = DAYS_BEFORE[month];
        }
        return new long[] {month + 1, day - begin + 1};
    }

    /** Go's isLeap, with Go's truncating remainder. */
    static boolean isLeap(long year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static long daysIn(long month, long year) {
        if (month == 2 && isLeap(year)) {
            return 29;
        }
        return DAYS_BEFORE[(int) month] - DAYS_BEFORE[(int) month - 1];
    }
}
