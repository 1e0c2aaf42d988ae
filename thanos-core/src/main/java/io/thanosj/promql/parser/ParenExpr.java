package io.thanosj.promql.parser;

import java.util.List;

/** A parenthesised expression; kept in the tree so that printing preserves grouping. */
public final class ParenExpr implements Expr {
    private final Expr expr;
    private final int start;
    private final int end;

    public ParenExpr(Expr expr, int start, int end) {
        this.expr = expr;
        this.start = start;
        this.end = end;
    }

    public Expr expr() {
        return expr;
    }

    /** The expression inside any number of parentheses. */
    public static Expr unwrap(Expr e) {
        while (e instanceof ParenExpr p) {
            e = p.expr;
        }
        return e;
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
        return end;
    }

    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public String toString() {
        return "(" + expr + ")";
    }
}
