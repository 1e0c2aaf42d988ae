package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Matcher;
import io.thanosj.model.MatchType;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.Call;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.MatrixSelector;
import io.thanosj.promql.parser.ParenExpr;
import io.thanosj.promql.parser.StringLiteral;
import io.thanosj.promql.parser.SubqueryExpr;
import io.thanosj.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Evaluation of function calls; range-vector functions delegate their per-window work to {@link RangeKernels}. */
final class Functions {
    private Functions() {}

    static Value eval(Evaluator ev, Call c, Grid g) {
        String name = c.func().name();
        List<Expr> args = c.args();
        for (int i = 0; i < args.size(); i++) {
            Expr a = ParenExpr.unwrap(args.get(i));
            if (a instanceof MatrixSelector || a instanceof SubqueryExpr) {
                return rangeFunction(ev, c, i, a, g);
            }
        }
        switch (name) {
            case "time": {
                ev.reserve(g.n);
                double[] v = new double[g.n];
                for (int i = 0; i < g.n; i++) {
                    v[i] = g.at(i) / 1000.0;
                }
                return new StepScalar(v);
            }
            case "pi":
                ev.reserve(g.n);
                return StepScalar.constant(Math.PI, g.n);
            case "vector": {
                StepScalar s = ev.evalScalar(args.get(0), g);
                StepSeries out = ev.newSeries(Labels.EMPTY, g.n);
                for (int i = 0; i < g.n; i++) {
                    out.set(i, s.v[i]);
                }
                ev.release(s);
                List<StepSeries> l = new ArrayList<>(1);
                l.add(out);
                return new StepVector(g.n, l);
            }
            case "scalar":
                return scalar(ev, ev.evalVector(args.get(0), g), g);
            case "timestamp":
                return timestamp(ev, args.get(0), g);
            case "absent":
                return absent(ev, args.get(0), g);
            case "sort":
            case "sort_desc":
                return sort(ev.evalVector(args.get(0), g), g, name.equals("sort_desc"));
            case "label_replace":
                return LabelFunctions.labelReplace(ev, c, g);
            case "label_join":
                return LabelFunctions.labelJoin(ev, c, g);
            case "histogram_quantile":
                return HistogramQuantile.eval(ev, ev.evalScalar(args.get(0), g), ev.evalVector(args.get(1), g), g);
            case "histogram_count":
            case "histogram_sum":
            case "histogram_fraction":
                // These read native histograms only, which this engine does not store: no float sample has them.
                for (Expr a : args) {
                    ev.release(ev.eval(a, g));
                }
                return StepVector.empty(g.n);
            case "round":
                return round(ev, c, g);
            case "clamp":
            case "clamp_min":
            case "clamp_max":
                return clamp(ev, c, g);
            case "year":
            case "month":
            case "day_of_month":
            case "day_of_year":
            case "day_of_week":
            case "days_in_month":
            case "hour":
            case "minute":
                return DateFunctions.eval(ev, name, args.isEmpty() ? null : ev.evalVector(args.get(0), g), g);
            default:
                return MathFunction.of(name).apply(ev.evalVector(args.get(0), g));
        }
    }

    private static StepScalar scalar(Evaluator ev, StepVector v, Grid g) {
        ev.reserve(g.n);
        double[] out = new double[g.n];
        for (int i = 0; i < g.n; i++) {
            int count = 0;
            double val = Double.NaN;
            for (StepSeries s : v.series) {
                if (s.has(i)) {
                    count++;
                    val = s.v[i];
                }
            }
            out[i] = count == 1 ? val : Double.NaN;
        }
        ev.release(v);
        return new StepScalar(out);
    }

    private static StepVector timestamp(Evaluator ev, Expr arg, Grid g) {
        Expr a = ParenExpr.unwrap(arg);
        StepVector v;
        if (a instanceof VectorSelector vs) {
            // The sample's own timestamp, not the evaluation time: read it straight from the selector.
            v = ev.selectVector(vs, g, true);
        } else {
            v = ev.evalVector(arg, g);
            for (StepSeries s : v.series) {
                for (int i = 0; i < g.n; i++) {
                    s.v[i] = g.at(i) / 1000.0;
                }
            }
        }
        return StepVector.dropMetricNames(g.n, v.series);
    }

    private static StepVector absent(Evaluator ev, Expr arg, Grid g) {
        StepVector v = ev.evalVector(arg, g);
        BitSet present = new BitSet(g.n);
        for (StepSeries s : v.series) {
            for (int i = 0; i < g.n; i++) {
                if (s.has(i)) {
                    present.set(i);
                }
            }
        }
        ev.release(v);
        List<StepSeries> out = new ArrayList<>(1);
        if (present.cardinality() < g.n) {
            StepSeries s = ev.newSeries(absentLabels(arg), g.n);
            for (int i = 0; i < g.n; i++) {
                if (!present.get(i)) {
                    s.set(i, 1);
                }
            }
            out.add(s);
        }
        return new StepVector(g.n, out);
    }

    /** The labels absent() reports: the equality matchers of a selector argument, unless a label is matched twice. */
    static Labels absentLabels(Expr arg) {
        List<Matcher> ms;
        if (arg instanceof VectorSelector vs) {
            ms = vs.matchers();
        } else if (arg instanceof MatrixSelector m) {
            ms = m.selector().matchers();
        } else {
            return Labels.EMPTY;
        }
        LabelsBuilder b = new LabelsBuilder();
        List<String> empty = new ArrayList<>();
        for (Matcher m : ms) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == MatchType.EQUAL && b.get(m.name()).isEmpty()) {
                b.set(m.name(), m.value());
            } else {
                empty.add(m.name());
            }
        }
        for (String n : empty) {
            b.delete(n);
        }
        return b.build();
    }

    private static StepVector sort(StepVector v, Grid g, boolean desc) {
        if (g.n != 1) {
            return v; // range results are ordered by labels anyway
        }
        v.series.sort((a, b) -> {
            double x = a.v[0];
            double y = b.v[0];
            boolean xn = Double.isNaN(x);
            boolean yn = Double.isNaN(y);
            if (xn || yn) {
                return Boolean.compare(xn, yn); // NaN last either way
            }
            return desc ? Double.compare(y, x) : Double.compare(x, y);
        });
        return v;
    }

    private static StepVector round(Evaluator ev, Call c, Grid g) {
        StepVector v = ev.evalVector(c.args().get(0), g);
        StepScalar to = c.args().size() > 1 ? ev.evalScalar(c.args().get(1), g) : null;
        for (StepSeries s : v.series) {
            for (int i = 0; i < g.n; i++) {
                double toNearestInverse = 1.0 / (to == null ? 1.0 : to.v[i]);
                s.v[i] = Math.floor(s.v[i] * toNearestInverse + 0.5) / toNearestInverse;
            }
        }
        if (to != null) {
            ev.release(to);
        }
        return StepVector.dropMetricNames(g.n, v.series);
    }

    private static StepVector clamp(Evaluator ev, Call c, Grid g) {
        String name = c.func().name();
        StepVector v = ev.evalVector(c.args().get(0), g);
        StepScalar a = ev.evalScalar(c.args().get(1), g);
        StepScalar b = name.equals("clamp") ? ev.evalScalar(c.args().get(2), g) : null;
        for (StepSeries s : v.series) {
            for (int i = 0; i < g.n; i++) {
                double x = s.v[i];
                switch (name) {
                    case "clamp_min" -> s.v[i] = GoMath.max(a.v[i], x);
                    case "clamp_max" -> s.v[i] = GoMath.min(a.v[i], x);
                    default -> {
                        if (b.v[i] < a.v[i]) {
                            s.clear(i);
                        } else {
                            s.v[i] = GoMath.max(a.v[i], GoMath.min(b.v[i], x));
                        }
                    }
                }
            }
        }
        ev.release(a);
        if (b != null) {
            ev.release(b);
        }
        return StepVector.dropMetricNames(g.n, v.series);
    }

    /** A string argument's value, looking through parentheses. */
    static String stringArg(Expr e) {
        return ((StringLiteral) ParenExpr.unwrap(e)).value();
    }

    private static Value rangeFunction(Evaluator ev, Call c, int matrixArg, Expr arg, Grid g) {
        String name = c.func().name();
        RangeKernels.Kernel kernel = RangeKernels.of(name);
        List<Expr> args = c.args();
        double[][] scalars = new double[args.size()][];
        List<StepScalar> held = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (i != matrixArg) {
                StepScalar s = ev.evalScalar(args.get(i), g);
                held.add(s);
                scalars[i] = s.v;
            }
        }
        Evaluator.RangeSource src = ev.rangeSource(arg);
        long range = src.rangeMs();
        boolean keepName = name.equals("last_over_time");
        Window w = new Window();
        w.scalarArgs = scalars;
        w.rangeMs = range;
        List<StepSeries> out = new ArrayList<>();
        if (name.equals("avg_over_time") && g.n > 1) {
            avgOverTime(ev, arg, g, src, out);
            for (StepScalar s : held) {
                ev.release(s);
            }
            StepVector.dropMetricNamesChecked(out);
            return new StepVector(g.n, out);
        }
        ev.forEachRangeSeries(arg, g, (labels, ts, vs, n) -> {
            StepSeries s = null;
            int lo = 0;
            int hi = 0;
            w.ts = ts;
            w.vs = vs;
            kernel.prepare(w, n);
            for (int i = 0; i < g.n; i++) {
                long end = ev.selectorTime(src.at(), src.atMs(), src.offsetMs(), g, i);
                long start = end - range;
                while (hi < n && ts[hi] <= end) {
                    hi++;
                }
                while (lo < hi && ts[lo] < start) { // Prometheus 2.x windows are closed: [end - range, end]
                    lo++;
                }
                if (hi == lo) {
                    continue;
                }
                w.lo = lo;
                w.hi = hi;
                w.step = i;
                w.stepTime = g.at(i);
                w.rangeStart = start;
                w.rangeEnd = end;
                if (!kernel.apply(w)) {
                    continue;
                }
                if (s == null) {
                    s = ev.newSeries(labels, g.n);
                }
                s.set(i, w.result);
            }
            if (s != null) {
                out.add(s);
            }
        });
        for (StepScalar s : held) {
            ev.release(s);
        }
        if (name.equals("absent_over_time")) {
            return absentOverTime(ev, out, arg, g);
        }
        if (!keepName) {
            StepVector.dropMetricNamesChecked(out);
        }
        return new StepVector(g.n, out);
    }

    /**
     * avg_over_time over a range query: every step's window first, then the windows' means computed
     * several at a time ({@link RangeKernels#avgOverTimeWindows}), which gives the same bits as one
     * window at a time and overlaps their division chains.
     */
    private static void avgOverTime(Evaluator ev, Expr arg, Grid g, Evaluator.RangeSource src, List<StepSeries> out) {
        int[] los = new int[g.n];
        int[] his = new int[g.n];
        int[] steps = new int[g.n];
        double[] means = new double[g.n];
        long range = src.rangeMs();
        ev.forEachRangeSeries(arg, g, (labels, ts, vs, n) -> {
            int lo = 0;
            int hi = 0;
            int k = 0;
            for (int i = 0; i < g.n; i++) {
                long end = ev.selectorTime(src.at(), src.atMs(), src.offsetMs(), g, i);
                long start = end - range;
                while (hi < n && ts[hi] <= end) {
                    hi++;
                }
                while (lo < hi && ts[lo] < start) { // closed windows, as in rangeFunction
                    lo++;
                }
                if (hi > lo) {
                    los[k] = lo;
                    his[k] = hi;
                    steps[k] = i;
                    k++;
                }
            }
            if (k == 0) {
                return;
            }
            RangeKernels.avgOverTimeWindows(vs, los, his, k, means);
            StepSeries s = ev.newSeries(labels, g.n);
            for (int j = 0; j < k; j++) {
                s.set(steps[j], means[j]);
            }
            out.add(s);
        });
    }

    private static StepVector absentOverTime(Evaluator ev, List<StepSeries> found, Expr arg, Grid g) {
        BitSet present = new BitSet(g.n);
        for (StepSeries s : found) {
            for (int i = 0; i < g.n; i++) {
                if (s.has(i)) {
                    present.set(i);
                }
            }
            ev.release(g.n);
        }
        List<StepSeries> out = new ArrayList<>(1);
        if (present.cardinality() < g.n) {
            StepSeries s = ev.newSeries(arg instanceof MatrixSelector ? absentLabels(arg) : Labels.EMPTY, g.n);
            for (int i = 0; i < g.n; i++) {
                if (!present.get(i)) {
                    s.set(i, 1);
                }
            }
            out.add(s);
        }
        return new StepVector(g.n, out);
    }

    static ThanosException execError(String msg) {
        return new ThanosException(ErrorCode.EXECUTION, msg);
    }
}
