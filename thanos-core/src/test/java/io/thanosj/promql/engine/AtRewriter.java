package io.thanosj.promql.engine;

import io.thanosj.promql.parser.AggregateExpr;
import io.thanosj.promql.parser.AtModifier;
import io.thanosj.promql.parser.BinaryExpr;
import io.thanosj.promql.parser.Call;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.MatrixSelector;
import io.thanosj.promql.parser.ParenExpr;
import io.thanosj.promql.parser.SubqueryExpr;
import io.thanosj.promql.parser.UnaryExpr;
import io.thanosj.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/** Rewrites a tree for the conformance runner's {@code @} test cases (Prometheus's atModifierTestCases). */
final class AtRewriter {
    private AtRewriter() {}

    static boolean usesUnsafeFunction(Expr e) {
        if (e instanceof Call c && Plan.AT_MODIFIER_UNSAFE.contains(c.func().name())) {
            return true;
        }
        for (Expr ch : e.children()) {
            if (usesUnsafeFunction(ch)) {
                return true;
            }
        }
        return false;
    }

    /** Prometheus overwrites only a missing timestamp; @ start()/end() count as missing before preprocessing. */
    private static boolean hasTimestamp(AtModifier a) {
        return a == AtModifier.TIMESTAMP;
    }

    static Expr setAt(Expr e, long ts) {
        if (e instanceof VectorSelector vs) {
            return hasTimestamp(vs.at()) ? vs : vs.withAt(AtModifier.TIMESTAMP, ts, vs.end());
        }
        if (e instanceof MatrixSelector m) {
            VectorSelector vs = m.selector();
            return hasTimestamp(vs.at()) ? m : m.withSelector(vs.withAt(AtModifier.TIMESTAMP, ts, vs.end()), m.end());
        }
        if (e instanceof SubqueryExpr s) {
            // Everything below a subquery with a timestamp is left as it is.
            return hasTimestamp(s.at()) ? s : s.withAt(AtModifier.TIMESTAMP, ts, s.end());
        }
        if (e instanceof ParenExpr p) {
            return new ParenExpr(setAt(p.expr(), ts), p.start(), p.end());
        }
        if (e instanceof UnaryExpr u) {
            return new UnaryExpr(u.negate(), setAt(u.expr(), ts), u.start());
        }
        if (e instanceof BinaryExpr b) {
            return b.withOperands(setAt(b.lhs(), ts), setAt(b.rhs(), ts));
        }
        if (e instanceof AggregateExpr a) {
            return a.withArgs(a.param() == null ? null : setAt(a.param(), ts), setAt(a.expr(), ts));
        }
        if (e instanceof Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(setAt(a, ts));
            }
            return c.withArgs(args);
        }
        return e;
    }
}
