package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * year(), month(), day_of_month(), ... in UTC, over the step time (no argument) or over sample values
 * read as Unix seconds. Calendar arithmetic is done on longs, so absurd inputs give absurd dates, not errors.
 */
final class DateFunctions {
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
        long days = Math.floorDiv(unixSeconds, 86400L);
        long secOfDay = Math.floorMod(unixSeconds, 86400L);
        long[] ymd = civilFromDays(days);
        return switch (name) {
            case "year" -> ymd[0];
            case "month" -> ymd[1];
            case "day_of_month" -> ymd[2];
            case "day_of_year" -> days - daysFromCivil(ymd[0], 1, 1) + 1;
            case "day_of_week" -> Math.floorMod(days + 4, 7L); // 1970-01-01 was a Thursday
            case "days_in_month" -> daysInMonth(ymd[0], ymd[1]);
            case "hour" -> secOfDay / 3600;
            case "minute" -> (secOfDay / 60) % 60;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Howard Hinnant's civil_from_days: {year, month, day} of a day count since 1970-01-01. */
    static long[] civilFromDays(long z) {
        z += 719468;
        long era = Math.floorDiv(z, 146097L);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        return new long[] {m <= 2 ? y + 1 : y, m, d};
    }

    static long daysFromCivil(long y, long m, long d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400L);
        long yoe = y - era * 400;
        long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    static long daysInMonth(long y, long m) {
        if (m == 2) {
            boolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            return leap ? 29 : 28;
        }
        return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
    }
}
