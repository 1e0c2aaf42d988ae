package io.thanosj.query;

import io.thanosj.proto.storepb.Aggr;
import io.thanosj.store.Dedup;
import java.util.List;
import java.util.Set;

/**
 * Which samples a query reads from a downsampled (aggregate) chunk, chosen as Thanos's querier
 * chooses them from the PromQL function or aggregation around the selector: {@code min*} reads the
 * window minimums, {@code max*} the maximums, {@code count*} the counts, {@code sum_*} the sums,
 * counter functions the counter aggregate, anything else (also {@code sum}, which wants the
 * samples themselves) the window averages sum / count. Raw chunks read as themselves in every view.
 */
enum ChunkView {
    AVERAGE(List.of(Aggr.COUNT, Aggr.SUM)),
    COUNT(List.of(Aggr.COUNT)),
    SUM(List.of(Aggr.SUM)),
    MIN(List.of(Aggr.MIN)),
    MAX(List.of(Aggr.MAX)),
    /** Running counter totals: counter resets applied across the chunks (see {@link CounterSeriesIterator}). */
    COUNTER(List.of(Aggr.COUNTER));

    /** Functions that need two samples in their range: a coarser resolution than half the range gives them nothing. */
    private static final Set<String> TWO_SAMPLE_FUNCTIONS = Set.of("rate", "irate", "increase", "delta", "idelta", "deriv",
            "predict_linear", "holt_winters", "double_exponential_smoothing");

    private final List<Aggr> aggregates;

    ChunkView(List<Aggr> aggregates) {
        this.aggregates = aggregates;
    }

    /** The aggregates to ask the stores for ({@code SeriesRequest.aggregates}). */
    List<Aggr> aggregates() {
        return aggregates;
    }

    /** The view for the enclosing function or aggregation ({@code SelectHints.func}, "" if none). */
    static ChunkView of(String func) {
        // Prefix matches as Thanos's aggrsFromFunc: min_over_time, max_over_time, count_over_time,
        // count_values, sum_over_time.
        if (func.equals("min") || func.startsWith("min_")) {
            return MIN;
        }
        if (func.equals("max") || func.startsWith("max_")) {
            return MAX;
        }
        if (func.equals("count") || func.startsWith("count_")) {
            return COUNT;
        }
        if (func.startsWith("sum_")) {
            return SUM;
        }
        if (Dedup.isCounterFunction(func)) {
            return COUNTER;
        }
        return AVERAGE;
    }

    /**
     * The coarsest resolution worth reading for a selector: functions needing two samples in their
     * range get at most half the range (Thanos's maxResolutionFromSelectHints).
     */
    static long maxResolution(long maxResolutionMillis, long rangeMillis, String func) {
        if (rangeMillis > 0 && TWO_SAMPLE_FUNCTIONS.contains(func)) {
            return Math.min(maxResolutionMillis, rangeMillis / 2);
        }
        return maxResolutionMillis;
    }

    /** The name of the aggregate in messages: "count", "sum", ..., "count and sum". */
    String describe() {
        return this == AVERAGE ? "count and sum" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
