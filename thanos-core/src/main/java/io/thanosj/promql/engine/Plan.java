package io.thanosj.promql.engine;

import io.thanosj.promql.parser.AggregateExpr;
import io.thanosj.promql.parser.AtModifier;
import io.thanosj.promql.parser.BinaryExpr;
import io.thanosj.promql.parser.Call;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.MatrixSelector;
import io.thanosj.promql.parser.NumberLiteral;
import io.thanosj.promql.parser.ParenExpr;
import io.thanosj.promql.parser.StringLiteral;
import io.thanosj.promql.parser.SubqueryExpr;
import io.thanosj.promql.parser.UnaryExpr;
import io.thanosj.promql.parser.VectorSelector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the evaluator learns about a tree before running it: which subtrees are step-invariant
 * (Prometheus's {@code PreprocessExpr}: they are evaluated once and repeated at every step), and
 * for each selector the enclosing function and grouping, passed to storage as hints.
 */
final class Plan {
    /** Functions whose result depends on the evaluation time even when their arguments do not. */
    static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    /** Nodes Prometheus wraps in a StepInvariantExpr. */
    final Map<Expr, Boolean> invariantRoots = new IdentityHashMap<>();
    final Map<VectorSelector, Hint> hints = new IdentityHashMap<>();

    record Hint(String func, List<String> grouping, boolean by) {}

    static Plan of(Expr root) {
        Plan p = new Plan();
        if (p.invariant(root)) {
            p.invariantRoots.put(root, Boolean.TRUE);
        }
        p.collectHints(root, new ArrayDeque<>());
        return p;
    }

    boolean isInvariantRoot(Expr e) {
        return invariantRoots.containsKey(e);
    }

    private void wrap(Expr e) {
        invariantRoots.put(e, Boolean.TRUE);
    }

    private boolean invariant(Expr e) {
        if (e instanceof VectorSelector vs) {
            return vs.at() != AtModifier.NONE;
        }
        if (e instanceof AggregateExpr a) {
            return invariant(a.expr());
        }
        if (e instanceof BinaryExpr b) {
            boolean l = invariant(b.lhs());
            boolean r = invariant(b.rhs());
            if (l && r) {
                return true;
            }
            if (l) {
                wrap(b.lhs());
            }
            if (r) {
                wrap(b.rhs());
            }
            return false;
        }
        if (e instanceof Call c) {
            boolean inv = !AT_MODIFIER_UNSAFE.contains(c.func().name());
            boolean[] argInv = new boolean[c.args().size()];
            for (int i = 0; i < argInv.length; i++) {
                argInv[i] = invariant(c.args().get(i));
                inv &= argInv[i];
            }
            if (inv) {
                return true;
            }
            for (int i = 0; i < argInv.length; i++) {
                if (argInv[i]) {
                    wrap(c.args().get(i));
                }
            }
            return false;
        }
        if (e instanceof MatrixSelector m) {
            return invariant(m.selector());
        }
        if (e instanceof SubqueryExpr s) {
            if (invariant(s.expr())) {
                wrap(s.expr());
            }
            return s.at() != AtModifier.NONE;
        }
        if (e instanceof ParenExpr p) {
            return invariant(p.expr());
        }
        if (e instanceof UnaryExpr u) {
            return invariant(u.expr());
        }
        return e instanceof StringLiteral || e instanceof NumberLiteral;
    }

    private void collectHints(Expr e, Deque<Expr> path) {
        if (e instanceof VectorSelector vs) {
            hints.put(vs, hintFor(path));
            return;
        }
        path.push(e);
        for (Expr c : e.children()) {
            collectHints(c, path);
        }
        path.pop();
    }

    private static Hint hintFor(Deque<Expr> path) {
        String func = "";
        for (Expr p : path) { // innermost first
            if (p instanceof AggregateExpr a) {
                func = a.op().symbol();
                break;
            }
            if (p instanceof Call c) {
                func = c.func().name();
                break;
            }
            if (p instanceof BinaryExpr) {
                break;
            }
        }
        Expr parent = path.peek();
        if (parent instanceof AggregateExpr a) {
            return new Hint(func, a.grouping(), !a.without());
        }
        return new Hint(func, List.of(), false);
    }
}
