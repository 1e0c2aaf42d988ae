package io.thanosj.promql.parser;

import java.util.List;

/** Unary {@code -} or {@code +} applied to a scalar or instant vector. */
public final class UnaryExpr implements Expr {
    private final boolean negate;
    private final Expr expr;
    private final int start;

    public UnaryExpr(boolean negate, Expr expr, int start) {
        this.negate = negate;
        this.expr = expr;
        this.start = start;
    }

    /** True for {@code -}, false for {@code +}. */
    public boolean negate() {
        return negate;
    }

    public Expr expr() {
        return expr;
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int end() {
        return expr.end();
    }

    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public String toString() {
        return (negate ? "-" : "+") + expr;
    }
}
