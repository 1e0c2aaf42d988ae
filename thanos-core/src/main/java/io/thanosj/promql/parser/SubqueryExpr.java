package io.thanosj.promql.parser;

import io.thanosj.model.Durations;
import java.util.List;

/** A subquery {@code expr[range:step] @ t offset d}; a step of 0 means the engine's default interval. */
public final class SubqueryExpr implements Expr {
    private final Expr expr;
    private final long rangeMs;
    private final long stepMs;
    private final long offsetMs;
    private final AtModifier at;
    private final long atMs;
    private final int end;

    public SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at, long atMs, int end) {
        this.expr = expr;
        this.rangeMs = rangeMs;
        this.stepMs = stepMs;
        this.offsetMs = offsetMs;
        this.at = at;
        this.atMs = atMs;
        this.end = end;
    }

    public Expr expr() {
        return expr;
    }

    public long rangeMs() {
        return rangeMs;
    }

    public long stepMs() {
        return stepMs;
    }

    public long offsetMs() {
        return offsetMs;
    }

    public AtModifier at() {
        return at;
    }

    public long atMs() {
        return atMs;
    }

    public SubqueryExpr withOffset(long ms, int newEnd) {
        return new SubqueryExpr(expr, rangeMs, stepMs, ms, at, atMs, newEnd);
    }

    public SubqueryExpr withAt(AtModifier a, long ms, int newEnd) {
        return new SubqueryExpr(expr, rangeMs, stepMs, offsetMs, a, ms, newEnd);
    }

    public SubqueryExpr withExpr(Expr e) {
        return new SubqueryExpr(e, rangeMs, stepMs, offsetMs, at, atMs, end);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public int start() {
        return expr.start();
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
        return expr + "[" + Durations.format(rangeMs) + ":" + (stepMs != 0 ? Durations.format(stepMs) : "") + "]"
                + Printing.atString(at, atMs) + Printing.offsetString(offsetMs);
    }
}
