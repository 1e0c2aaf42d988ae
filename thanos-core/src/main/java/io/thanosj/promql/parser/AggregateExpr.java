package io.thanosj.promql.parser;

import java.util.ArrayList;
import java.util.List;

/** {@code op [by|without (labels)] ([param,] expr)}. */
public final class AggregateExpr implements Expr {
    private final AggregateOp op;
    private final Expr expr;
    private final Expr param;
    private final List<String> grouping;
    private final boolean without;
    private final int start;
    private final int end;

    public AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without, int start, int end) {
        this.op = op;
        this.expr = expr;
        this.param = param;
        this.grouping = List.copyOf(grouping);
        this.without = without;
        this.start = start;
        this.end = end;
    }

    public AggregateOp op() {
        return op;
    }

    public Expr expr() {
        return expr;
    }

    /** The parameter of topk, bottomk, quantile and count_values; null for the others. */
    public Expr param() {
        return param;
    }

    public List<String> grouping() {
        return grouping;
    }

    public boolean without() {
        return without;
    }

    public AggregateExpr withArgs(Expr newParam, Expr newExpr) {
        return new AggregateExpr(op, newExpr, newParam, grouping, without, start, end);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
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
        List<Expr> c = new ArrayList<>(2);
        if (param != null) {
            c.add(param);
        }
        c.add(expr);
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(op.symbol());
        if (without) {
            sb.append(" without (").append(String.join(", ", grouping)).append(") ");
        } else if (!grouping.isEmpty()) {
            sb.append(" by (").append(String.join(", ", grouping)).append(") ");
        }
        sb.append('(');
        if (op.hasParam()) {
            sb.append(param).append(", ");
        }
        return sb.append(expr).append(')').toString();
    }
}
