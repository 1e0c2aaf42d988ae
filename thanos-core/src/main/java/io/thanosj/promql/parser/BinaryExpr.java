package io.thanosj.promql.parser;

import java.util.List;

/**
 * {@code lhs op [bool] [on|ignoring (...)] [group_left|group_right (...)] rhs}. {@link #matching()}
 * is null unless both sides are instant vectors.
 */
public final class BinaryExpr implements Expr {
    private final BinaryOp op;
    private final Expr lhs;
    private final Expr rhs;
    private final VectorMatching matching;
    private final boolean returnBool;
    private final int opPos;

    public BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, int opPos) {
        this.op = op;
        this.lhs = lhs;
        this.rhs = rhs;
        this.matching = matching;
        this.returnBool = returnBool;
        this.opPos = opPos;
    }

    public BinaryOp op() {
        return op;
    }

    public Expr lhs() {
        return lhs;
    }

    public Expr rhs() {
        return rhs;
    }

    public VectorMatching matching() {
        return matching;
    }

    public boolean returnBool() {
        return returnBool;
    }

    /** Offset of the operator token, for error messages. */
    public int opPos() {
        return opPos;
    }

    public BinaryExpr withOperands(Expr l, Expr r) {
        return new BinaryExpr(op, l, r, matching, returnBool, opPos);
    }

    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override
    public int start() {
        return lhs.start();
    }

    @Override
    public int end() {
        return rhs.end();
    }

    @Override
    public List<Expr> children() {
        return List.of(lhs, rhs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(lhs).append(' ').append(op.symbol());
        if (returnBool) {
            sb.append(" bool");
        }
        VectorMatching vm = matching;
        if (vm != null && (!vm.matchingLabels().isEmpty() || vm.on())) {
            sb.append(vm.on() ? " on (" : " ignoring (").append(String.join(", ", vm.matchingLabels())).append(')');
            if (vm.card() == VectorMatching.Card.MANY_TO_ONE || vm.card() == VectorMatching.Card.ONE_TO_MANY) {
                sb.append(vm.card() == VectorMatching.Card.MANY_TO_ONE ? " group_left (" : " group_right (")
                        .append(String.join(", ", vm.include())).append(')');
            }
        }
        return sb.append(' ').append(rhs).toString();
    }
}
