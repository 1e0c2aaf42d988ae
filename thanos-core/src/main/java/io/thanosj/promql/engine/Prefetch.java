package io.thanosj.promql.engine;

import io.thanosj.promql.parser.AggregateExpr;
import io.thanosj.promql.parser.BinaryExpr;
import io.thanosj.promql.parser.Call;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.MatrixSelector;
import io.thanosj.promql.parser.ParenExpr;
import io.thanosj.promql.parser.UnaryExpr;
import io.thanosj.promql.parser.VectorSelector;
import io.thanosj.promql.storage.SeriesSet;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Selects opened before evaluation, so that the sources of a query with several selectors stream
 * at once instead of one after another (Prometheus selects every selector before evaluating;
 * Thanos runs up to {@code --query.max-concurrent-select} of them at a time). Each is opened with
 * the range evaluation will ask for; evaluation takes it only when the range matches exactly and
 * opens a fresh select otherwise, so a wrong guess costs an unused stream, never a wrong answer.
 * Selectors inside subqueries are left to evaluation: they run on the subquery's own grid.
 */
final class Prefetch {
    private record Opened(long mint, long maxt, long rangeMs, SeriesSet set) {}

    private final Evaluator ev;
    private final Grid grid;
    private final int max;
    private final Map<VectorSelector, Opened> opened = new IdentityHashMap<>();

    private Prefetch(Evaluator ev, Grid grid, int max) {
        this.ev = ev;
        this.grid = grid;
        this.max = max;
    }

    /** Opens the first {@code max} selectors of {@code root} in evaluation order over {@code grid}. */
    static Prefetch open(Evaluator ev, Expr root, Grid grid, int max) {
        Prefetch p = new Prefetch(ev, grid, max);
        if (max > 1) {
            try {
                p.visit(root);
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
        }
        return p;
    }

    private void visit(Expr e) {
        if (opened.size() >= max) {
            return;
        }
        if (e instanceof VectorSelector vs) {
            long off = vs.offsetMs();
            long maxt = ev.selectorTime(vs.at(), vs.atMs(), off, grid, grid.n - 1);
            open(vs, ev.selectorTime(vs.at(), vs.atMs(), off, grid, 0) - ev.lookbackMs, maxt, 0);
        } else if (e instanceof MatrixSelector m) {
            VectorSelector vs = m.selector();
            long off = vs.offsetMs();
            long firstEnd = ev.selectorTime(vs.at(), vs.atMs(), off, grid, 0);
            long lastEnd = ev.selectorTime(vs.at(), vs.atMs(), off, grid, grid.n - 1);
            open(vs, firstEnd - m.rangeMs(), lastEnd, m.rangeMs());
        } else if (e instanceof ParenExpr p) {
            visit(p.expr());
        } else if (e instanceof UnaryExpr u) {
            visit(u.expr());
        } else if (e instanceof BinaryExpr b) {
            visit(b.lhs());
            visit(b.rhs());
        } else if (e instanceof AggregateExpr a) {
            if (a.param() != null) {
                visit(a.param());
            }
            visit(a.expr());
        } else if (e instanceof Call c) {
            for (Expr arg : c.args()) {
                visit(arg);
            }
        }
        // Literals have nothing to select; subqueries evaluate their selectors on another grid.
    }

    private void open(VectorSelector vs, long mint, long maxt, long rangeMs) {
        if (opened.containsKey(vs)) {
            return;
        }
        SeriesSet set;
        try {
            set = ev.openSelect(vs, mint, maxt, rangeMs);
        } catch (RuntimeException e) {
            // Evaluation selects again and reports the failure where it would have met it.
            return;
        }
        opened.put(vs, new Opened(mint, maxt, rangeMs, set));
    }

    /** The select opened for {@code vs} if it was opened for this exact range, else null. */
    SeriesSet take(VectorSelector vs, long mint, long maxt, long rangeMs) {
        Opened o = opened.remove(vs);
        if (o == null) {
            return null;
        }
        if (o.mint == mint && o.maxt == maxt && o.rangeMs == rangeMs) {
            return o.set;
        }
        o.set.close();
        return null;
    }

    /** Ends the selects evaluation did not take; their failures no longer matter to the query. */
    void close() {
        for (Opened o : opened.values()) {
            try {
                o.set.close();
            } catch (RuntimeException ignored) {
                // An unused stream; the query's outcome is already decided.
            }
        }
        opened.clear();
    }
}
