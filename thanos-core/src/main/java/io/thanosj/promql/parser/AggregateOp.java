package io.thanosj.promql.parser;

/** Aggregation operators; four of them take a parameter before the vector. */
public enum AggregateOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, COUNT_VALUES, QUANTILE;

    public boolean hasParam() {
        return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE;
    }

    public String symbol() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static AggregateOp of(TokenType t) {
        return switch (t) {
            case SUM -> SUM;
            case AVG -> AVG;
            case COUNT -> COUNT;
            case MIN -> MIN;
            case MAX -> MAX;
            case GROUP -> GROUP;
            case STDDEV -> STDDEV;
            case STDVAR -> STDVAR;
            case TOPK -> TOPK;
            case BOTTOMK -> BOTTOMK;
            case COUNT_VALUES -> COUNT_VALUES;
            case QUANTILE -> QUANTILE;
            default -> null;
        };
    }
}
