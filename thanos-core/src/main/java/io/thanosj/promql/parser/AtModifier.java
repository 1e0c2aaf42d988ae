package io.thanosj.promql.parser;

/** The {@code @} modifier of a selector or subquery. */
public enum AtModifier {
    /** No {@code @}: the selector follows the evaluation time. */
    NONE,
    /** {@code @ <unix seconds>}: a fixed time. */
    TIMESTAMP,
    /** {@code @ start()}: the start of the query range. */
    START,
    /** {@code @ end()}: the end of the query range. */
    END
}
