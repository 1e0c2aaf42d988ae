package io.thanosj.promql.parser;

import java.util.List;

/**
 * How the two sides of a vector-vector binary operation are matched: {@code on}/{@code ignoring}
 * labels, cardinality, and the labels {@code group_left}/{@code group_right} copy from the "one" side.
 */
public record VectorMatching(Card card, List<String> matchingLabels, boolean on, List<String> include) {

    public enum Card {
        ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
    }

    public VectorMatching {
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }
}
