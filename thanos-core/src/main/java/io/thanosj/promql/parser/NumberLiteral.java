package io.thanosj.promql.parser;

import java.util.List;

/** A number: {@code 1}, {@code 0x1f}, {@code 1e3}, {@code Inf}, {@code NaN}. */
public final class NumberLiteral implements Expr {
    private final double value;
    private final int start;
    private final int end;

    public NumberLiteral(double value, int start, int end) {
        this.value = value;
        this.start = start;
        this.end = end;
    }

    public double value() {
        return value;
    }

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
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
        return GoStrconv.formatFloat(value);
    }
}
