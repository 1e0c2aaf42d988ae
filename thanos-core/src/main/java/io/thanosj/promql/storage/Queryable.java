package io.thanosj.promql.storage;

import io.thanosj.model.Matcher;
import java.util.List;

/**
 * A source of series for the PromQL engine. Implementations throw {@link io.thanosj.model.ThanosException}
 * on failure and must be safe to call from several queries at once.
 */
public interface Queryable {

    /**
     * Series matching every matcher that may have samples in {@code [hints.start(), hints.end()]},
     * sorted by labels. Samples outside that range may be returned too; the engine ignores them.
     */
    SeriesSet select(SelectHints hints, List<Matcher> matchers);

    /** Sorted label names of series matching the matchers (all series when empty) in {@code [mint, maxt]}. */
    List<String> labelNames(long mint, long maxt, List<Matcher> matchers);

    /** Sorted values of the label among series matching the matchers in {@code [mint, maxt]}. */
    List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers);
}
