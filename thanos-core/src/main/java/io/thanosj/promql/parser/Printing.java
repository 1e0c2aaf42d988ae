package io.thanosj.promql.parser;

import io.thanosj.model.Durations;

/** Suffixes shared by the printers of selectors and subqueries. */
final class Printing {
    private Printing() {}

    static String offsetString(long offsetMs) {
        if (offsetMs > 0) {
            return " offset " + Durations.format(offsetMs);
        }
        if (offsetMs < 0) {
            return " offset -" + Durations.format(-offsetMs);
        }
        return "";
    }

    static String atString(AtModifier at, long atMs) {
        return switch (at) {
            case TIMESTAMP -> " @ " + GoStrconv.formatFixed3(atMs / 1000.0);
            case START -> " @ start()";
            case END -> " @ end()";
            case NONE -> "";
        };
    }
}
