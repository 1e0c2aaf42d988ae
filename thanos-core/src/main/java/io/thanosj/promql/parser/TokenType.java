package io.thanosj.promql.parser;

/** Lexical token kinds of PromQL, named after Prometheus's item types so error messages read alike. */
enum TokenType {
    EOF, ERROR, COMMENT, IDENTIFIER, METRIC_IDENTIFIER, STRING, NUMBER, DURATION,
    LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, EQL, COLON, AT,
    // Operators.
    SUB, ADD, MUL, MOD, DIV, EQLC, NEQ, LTE, LSS, GTE, GTR, EQL_REGEX, NEQ_REGEX, POW, LAND, LOR, LUNLESS, ATAN2,
    // Aggregators.
    AVG, BOTTOMK, COUNT, COUNT_VALUES, GROUP, MAX, MIN, QUANTILE, STDDEV, STDVAR, SUM, TOPK,
    // Keywords.
    BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IGNORING, OFFSET, ON, WITHOUT, START, END;

    boolean isOperator() {
        return ordinal() >= SUB.ordinal() && ordinal() <= ATAN2.ordinal();
    }

    boolean isAggregator() {
        return ordinal() >= AVG.ordinal() && ordinal() <= TOPK.ordinal();
    }

    boolean isKeyword() {
        return ordinal() >= BOOL.ordinal();
    }
}
