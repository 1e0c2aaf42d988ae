package io.thanosj.promql.parser;

/** Binary operators with Prometheus's precedence (higher binds tighter; {@code ^} is right-associative). */
public enum BinaryOp {
    LOR("or", 1),
    LAND("and", 2),
    LUNLESS("unless", 2),
    EQLC("==", 3),
    NEQ("!=", 3),
    LTE("<=", 3),
    LSS("<", 3),
    GTE(">=", 3),
    GTR(">", 3),
    ADD("+", 4),
    SUB("-", 4),
    MUL("*", 5),
    DIV("/", 5),
    MOD("%", 5),
    ATAN2("atan2", 5),
    POW("^", 6);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    public boolean isSetOperator() {
        return this == LAND || this == LOR || this == LUNLESS;
    }

    public boolean isRightAssociative() {
        return this == POW;
    }

    /** Arithmetic results have no metric name any more; comparisons, set operators and atan2 keep it. */
    public boolean dropsMetricName() {
        return this == ADD || this == SUB || this == MUL || this == DIV || this == POW || this == MOD;
    }

    static BinaryOp of(TokenType t) {
        return switch (t) {
            case LOR -> LOR;
            case LAND -> LAND;
            case LUNLESS -> LUNLESS;
            case EQLC -> EQLC;
            case NEQ -> NEQ;
            case LTE -> LTE;
            case LSS -> LSS;
            case GTE -> GTE;
            case GTR -> GTR;
            case ADD -> ADD;
            case SUB -> SUB;
            case MUL -> MUL;
            case DIV -> DIV;
            case MOD -> MOD;
            case ATAN2 -> ATAN2;
            case POW -> POW;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return symbol;
    }
}
