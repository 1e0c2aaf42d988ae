package io.thanosj.promql.parser;

import java.util.List;

/** A string literal, already unquoted. */
public final class StringLiteral implements Expr {
    private final String value;
    private final int start;
    private final int end;

    public StringLiteral(String value, int start, int end) {
        this.value = value;
        this.start = start;
        this.end = end;
    }

    public String value() {
        return value;
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int end() {
        return end;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public String toString() {
        return GoStrconv.quote(value);
    }
}
