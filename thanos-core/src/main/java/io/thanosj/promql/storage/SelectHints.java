package io.thanosj.promql.storage;

import java.util.List;

/**
 * What the engine will do with the selected series, so that a store can read less or pre-aggregate:
 * the time range it needs, the query step, the range of a range selector (0 for instant selectors),
 * the enclosing function or aggregation and its grouping.
 *
 * @param start first timestamp needed (ms, inclusive)
 * @param end last timestamp needed (ms, inclusive)
 * @param step query resolution in ms (0 for instant queries)
 * @param range range of the range selector in ms, 0 for instant vector selectors
 * @param func name of the enclosing function or aggregation, or the empty string
 * @param grouping grouping labels of the enclosing aggregation
 * @param by true when {@code grouping} lists the labels kept ({@code by}), false for {@code without}
 */
public record SelectHints(long start, long end, long step, long range, String func, List<String> grouping, boolean by) {

    public SelectHints {
        grouping = List.copyOf(grouping);
    }

    public static SelectHints of(long start, long end) {
        return new SelectHints(start, end, 0, 0, "", List.of(), false);
    }
}
