package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
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
import io.thanosj.promql.parser.ValueType;
import io.thanosj.promql.parser.VectorSelector;
import io.thanosj.promql.storage.Queryable;
import io.thanosj.promql.storage.SelectHints;
import io.thanosj.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates one query. Every node is evaluated over a whole step grid at once: selectors read each
 * series once and fill a value per step, operators then work on those arrays series by series.
 * Failures are {@link ThanosException}s; the engine's query boundary is the only place that adds
 * context to them.
 */
final class Evaluator {
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    private static final int CANCEL_CHECK_MASK = 255;

    final Queryable storage;
    final Plan plan;
    final long lookbackMs;
    final long defaultSubqueryStepMs;
    final long queryStart;
    final long queryEnd;
    final long queryStep;
    final List<String> warnings = new ArrayList<>();
    private final QueryGuard guard;
    private final long maxSamples;
    private long currentSamples;
    private int cancelTick;

    private final boolean decodeAhead;
    // One series' raw samples, reused across series.
    private final SampleBuffer buf = new SampleBuffer(256);

    Evaluator(Queryable storage, Plan plan, EngineOptions opts, long queryStart, long queryEnd, long queryStep,
              QueryGuard guard) {
        this.storage = storage;
        this.plan = plan;
        this.lookbackMs = opts.lookbackDelta().toMillis();
        this.defaultSubqueryStepMs = opts.defaultSubqueryStep().toMillis();
        this.maxSamples = opts.maxSamples();
        this.decodeAhead = opts.decodeAhead();
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.queryStep = queryStep;
        this.guard = guard;
    }

    // ---- limits and cancellation

    void checkCancelled() {
        if ((cancelTick++ & CANCEL_CHECK_MASK) == 0) {
            guard.check();
        }
    }

    /** Accounts for {@code n} more values held in memory; fails the query beyond the limit. */
    void reserve(long n) {
        currentSamples += n;
        if (currentSamples > maxSamples) {
            throw tooManySamples();
        }
    }

    static ThanosException tooManySamples() {
        return new ThanosException(ErrorCode.RESOURCE_EXHAUSTED,
                "query processing would load too many samples into memory in query execution");
    }

    void release(long n) {
        currentSamples -= n;
    }

    /** A new output series over {@code steps} steps; its slots count against the sample limit. */
    StepSeries newSeries(Labels labels, int steps) {
        reserve(steps);
        return new StepSeries(labels, steps);
    }

    void release(Value v) {
        if (v instanceof StepVector sv) {
            release((long) sv.series.size() * sv.steps);
        } else if (v instanceof StepScalar s) {
            release(s.v.length);
        }
    }

    // ---- dispatch

    Value eval(Expr e, Grid g) {
        guard.check();
        if (g.n > 1 && plan.isInvariantRoot(e) && (e.type() == ValueType.VECTOR || e.type() == ValueType.SCALAR)
                && !(e instanceof NumberLiteral)) {
            return broadcast(evalNode(e, g.first()), g.n);
        }
        return evalNode(e, g);
    }

    StepVector evalVector(Expr e, Grid g) {
        return (StepVector) eval(e, g);
    }

    StepScalar evalScalar(Expr e, Grid g) {
        return (StepScalar) eval(e, g);
    }

    private Value evalNode(Expr e, Grid g) {
        if (e instanceof NumberLiteral n) {
            reserve(g.n);
            return StepScalar.constant(n.value(), g.n);
        }
        if (e instanceof StringLiteral s) {
            return new StringValue(s.value());
        }
        if (e instanceof ParenExpr p) {
            return eval(p.expr(), g);
        }
        if (e instanceof VectorSelector vs) {
            return selectVector(vs, g, false);
        }
        if (e instanceof UnaryExpr u) {
            return unary(u, g);
        }
        if (e instanceof BinaryExpr b) {
            return BinaryOps.eval(this, b, g);
        }
        if (e instanceof AggregateExpr a) {
            return Aggregations.eval(this, a, g);
        }
        if (e instanceof Call c) {
            return Functions.eval(this, c, g);
        }
        if (e instanceof MatrixSelector || e instanceof SubqueryExpr) {
            return rawRange(e, g);
        }
        throw new IllegalStateException("unexpected node " + e.getClass().getSimpleName());
    }

    private Value broadcast(Value one, int steps) {
        if (one instanceof StepScalar s) {
            release(s.v.length);
            reserve(steps);
            return StepScalar.constant(s.v[0], steps);
        }
        if (one instanceof StepVector v) {
            List<StepSeries> out = new ArrayList<>(v.series.size());
            for (StepSeries s : v.series) {
                if (!s.has(0)) {
                    continue;
                }
                StepSeries b = newSeries(s.labels, steps);
                for (int i = 0; i < steps; i++) {
                    b.set(i, s.v[0]);
                }
                out.add(b);
            }
            release(v);
            return new StepVector(steps, out);
        }
        return one;
    }

    private Value unary(UnaryExpr u, Grid g) {
        Value v = eval(u.expr(), g);
        if (!u.negate()) {
            return v;
        }
        if (v instanceof StepScalar s) {
            for (int i = 0; i < s.v.length; i++) {
                s.v[i] = -s.v[i];
            }
            return s;
        }
        StepVector sv = (StepVector) v;
        for (StepSeries s : sv.series) {
            for (int i = 0; i < s.v.length; i++) {
                s.v[i] = -s.v[i];
            }
        }
        StepVector.dropMetricNamesChecked(sv.series);
        return sv;
    }

    static Labels dropMetricName(Labels l) {
        return l.has(Labels.METRIC_NAME) ? l.without(Labels.METRIC_NAME) : l;
    }

    static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    // ---- selectors

    /** The time a selector reads at for step {@code i}: the step (or its {@code @} time) minus the offset. */
    long selectorTime(AtModifier at, long atMs, long offsetMs, Grid g, int i) {
        return atTime(at, atMs, g.at(i)) - offsetMs;
    }

    long atTime(AtModifier at, long atMs, long stepTime) {
        return switch (at) {
            case NONE -> stepTime;
            case TIMESTAMP -> atMs;
            case START -> queryStart;
            case END -> queryEnd;
        };
    }

    /** Selects opened before evaluation (set by the query); evaluation takes them where they match. */
    Prefetch prefetch;

    SeriesSet select(VectorSelector vs, long mint, long maxt, long rangeMs) {
        SeriesSet ready = prefetch == null ? null : prefetch.take(vs, mint, maxt, rangeMs);
        return ready != null ? ready : openSelect(vs, mint, maxt, rangeMs);
    }

    SeriesSet openSelect(VectorSelector vs, long mint, long maxt, long rangeMs) {
        Plan.Hint h = plan.hints.get(vs);
        SelectHints hints = h == null
                ? new SelectHints(mint, maxt, queryStep, rangeMs, "", List.of(), false)
                : new SelectHints(mint, maxt, queryStep, rangeMs, h.func(), h.grouping(), h.by());
        SeriesSet set;
        try {
            set = storage.select(hints, vs.matchers());
        } catch (ThanosException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "select series for " + vs + ": " + e.getMessage(), e);
        }
        return set;
    }

    /**
     * Feeds every series of the set with its samples in {@code [mint, maxt]} to the sink, the samples
     * counted against the limit while the sink runs. After the first few series the rest are decoded
     * ahead on a helper thread when the options allow.
     */
    private void forEachSeries(SeriesSet set, long mint, long maxt, boolean dropStale, RangeSink sink) {
        int inline = 0;
        while (set.next()) {
            checkCancelled();
            buf.load(set.iterator(), mint, maxt, dropStale, maxSamples - currentSamples);
            feed(set.labels(), buf, sink);
            if (++inline == DecodeAhead.INLINE_SERIES && decodeAhead) {
                try (DecodeAhead ahead = new DecodeAhead(set, mint, maxt, dropStale, guard, maxSamples - currentSamples)) {
                    while (ahead.next()) {
                        checkCancelled();
                        feed(ahead.labels(), ahead.samples(), sink);
                    }
                }
                break;
            }
        }
        warnings.addAll(set.warnings());
    }

    private void feed(Labels labels, SampleBuffer b, RangeSink sink) {
        int n = b.n;
        if (n > 0) {
            reserve(n);
            sink.series(labels, b.t, b.v, n);
            release(n);
        }
    }

    /**
     * An instant vector selector over the grid: at each step the latest sample no older than the
     * lookback delta, unless it is a staleness marker. With {@code timestamps} the value is the
     * sample's own timestamp in seconds, which is what {@code timestamp()} returns.
     */
    StepVector selectVector(VectorSelector vs, Grid g, boolean timestamps) {
        long off = vs.offsetMs();
        long mint = selectorTime(vs.at(), vs.atMs(), off, g, 0) - lookbackMs;
        long maxt = selectorTime(vs.at(), vs.atMs(), off, g, g.n - 1);
        List<StepSeries> out = new ArrayList<>();
        try (SeriesSet set = select(vs, mint, maxt, 0)) {
            forEachSeries(set, mint, maxt, false, (labels, ts, vals, n) -> {
                StepSeries s = null;
                int j = -1;
                for (int i = 0; i < g.n; i++) {
                    long t = selectorTime(vs.at(), vs.atMs(), off, g, i);
                    while (j + 1 < n && ts[j + 1] <= t) {
                        j++;
                    }
                    if (j < 0 || ts[j] < t - lookbackMs || isStale(vals[j])) {
                        continue;
                    }
                    if (s == null) {
                        s = newSeries(labels, g.n);
                    }
                    s.set(i, timestamps ? ts[j] / 1000.0 : vals[j]);
                }
                if (s != null) {
                    out.add(s);
                }
            });
        }
        return new StepVector(g.n, out);
    }

    // ---- range selectors and subqueries as sample sources

    /** Visits the series of a range vector argument: raw samples of a selector, or the points of a subquery. */
    interface RangeSink {
        void series(Labels labels, long[] ts, double[] vs, int n);
    }

    /** The window end for step {@code i} of a range source. */
    record RangeSource(long rangeMs, long offsetMs, AtModifier at, long atMs) {}

    RangeSource rangeSource(Expr e) {
        if (e instanceof MatrixSelector m) {
            VectorSelector vs = m.selector();
            return new RangeSource(m.rangeMs(), vs.offsetMs(), vs.at(), vs.atMs());
        }
        SubqueryExpr s = (SubqueryExpr) e;
        return new RangeSource(s.rangeMs(), s.offsetMs(), s.at(), s.atMs());
    }

    /** Feeds every series of a range vector expression needed for the grid, with stale samples removed. */
    void forEachRangeSeries(Expr e, Grid g, RangeSink sink) {
        RangeSource src = rangeSource(e);
        long firstEnd = selectorTime(src.at(), src.atMs(), src.offsetMs(), g, 0);
        long lastEnd = selectorTime(src.at(), src.atMs(), src.offsetMs(), g, g.n - 1);
        if (e instanceof MatrixSelector m) {
            long mint = firstEnd - src.rangeMs();
            try (SeriesSet set = select(m.selector(), mint, lastEnd, src.rangeMs())) {
                forEachSeries(set, mint, lastEnd, true, sink);
            }
            return;
        }
        SubqueryExpr sq = (SubqueryExpr) e;
        long step = sq.stepMs() != 0 ? sq.stepMs() : defaultSubqueryStepMs;
        long lower = firstEnd - sq.rangeMs();
        long innerStart = -Math.floorDiv(-lower, step) * step;
        if (innerStart > lastEnd) {
            return;
        }
        long steps = (lastEnd - innerStart) / step + 1;
        if (steps > maxSamples) {
            throw tooManySamples(); // before allocating anything per inner step
        }
        int n = (int) steps;
        Grid inner = new Grid(innerStart, step, n);
        StepVector res = evalVector(sq.expr(), inner);
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (StepSeries s : res.series) {
            checkCancelled();
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (s.has(i)) {
                    ts[k] = inner.at(i);
                    vs[k] = s.v[i];
                    k++;
                }
            }
            if (k > 0) {
                sink.series(s.labels, ts, vs, k);
            }
        }
        release(res);
    }

    /** A range selector or subquery as the result of an instant query: its raw samples in the window. */
    private Value rawRange(Expr e, Grid g) {
        if (g.n != 1) {
            throw new ThanosException(ErrorCode.BAD_DATA, "invalid expression type \"range vector\" for range query, "
                    + "must be Scalar or instant Vector");
        }
        RangeSource src = rangeSource(e);
        long end = selectorTime(src.at(), src.atMs(), src.offsetMs(), g, 0);
        long start = end - src.rangeMs();
        List<Labels> labels = new ArrayList<>();
        List<long[]> tss = new ArrayList<>();
        List<double[]> vss = new ArrayList<>();
        forEachRangeSeries(e, g, (l, ts, vs, n) -> {
            int lo = 0;
            while (lo < n && ts[lo] < start) {
                lo++;
            }
            int hi = n;
            while (hi > lo && ts[hi - 1] > end) {
                hi--;
            }
            if (hi > lo) {
                reserve(hi - lo);
                labels.add(l);
                tss.add(java.util.Arrays.copyOfRange(ts, lo, hi));
                vss.add(java.util.Arrays.copyOfRange(vs, lo, hi));
            }
        });
        return new RangeValue(labels, tss, vss);
    }
}
