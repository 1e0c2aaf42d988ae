package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.storage.Queryable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One parsed query bound to its time range. {@link #execute()} runs it on the calling thread;
 * {@link #cancel()} may be called from any thread and makes a running execution fail promptly.
 */
public final class Query {
    private final Queryable storage;
    private final EngineOptions opts;
    private final Expr expr;
    private final long start;
    private final long end;
    private final long step;
    private volatile QueryGuard guard;
    private volatile boolean cancelled;

    Query(Queryable storage, EngineOptions opts, Expr expr, long start, long end, long step) {
        this.storage = storage;
        this.opts = opts;
        this.expr = expr;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    public Expr expr() {
        return expr;
    }

    public boolean isRangeQuery() {
        return step != 0;
    }

    public void cancel() {
        cancelled = true;
        QueryGuard g = guard;
        if (g != null) {
            g.cancel();
        }
    }

    /** Evaluates the query; failures are {@link io.thanosj.model.ThanosException}s. */
    public QueryResult execute() {
        QueryGuard g = new QueryGuard(opts.nanoClock(), opts.timeout().toNanos());
        guard = g;
        if (cancelled) {
            g.cancel();
        }
        Grid grid = step == 0 ? new Grid(start, 1, 1) : new Grid(start, step, (int) ((end - start) / step + 1));
        Evaluator ev;
        Value v;
        try {
            ev = new Evaluator(storage, Plan.of(expr), opts, start, end, step, g);
            ev.prefetch = Prefetch.open(ev, expr, grid, opts.maxConcurrentSelects());
            try {
                v = ev.eval(expr, grid);
            } finally {
                ev.prefetch.close();
            }
        } catch (ThanosException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw new ThanosException(ErrorCode.BAD_DATA, "evaluate query: expression nested too deeply for this thread's stack");
        } catch (RuntimeException e) {
            // A bug, not a user error; the caller still gets the one exception type, and the cause.
            throw new ThanosException(ErrorCode.INTERNAL, "evaluate query: unexpected error: " + e, e);
        }
        List<String> warnings = List.copyOf(ev.warnings);
        if (step == 0) {
            return instantResult(v, warnings);
        }
        return rangeResult(v, grid, warnings);
    }

    private QueryResult instantResult(Value v, List<String> warnings) {
        if (v instanceof StepScalar s) {
            return new QueryResult.Scalar(start, s.v[0], warnings);
        }
        if (v instanceof StringValue s) {
            return new QueryResult.Str(start, s.value(), warnings);
        }
        if (v instanceof RangeValue r) {
            return new QueryResult.Matrix(r.labels(), r.ts(), r.vs(), warnings);
        }
        StepVector sv = (StepVector) v;
        List<Labels> labels = new ArrayList<>(sv.series.size());
        double[] values = new double[sv.series.size()];
        int k = 0;
        for (StepSeries s : sv.series) {
            if (s.has(0)) {
                labels.add(s.labels);
                values[k++] = s.v[0];
            }
        }
        return new QueryResult.Vector(start, labels, Arrays.copyOf(values, k), warnings);
    }

    private QueryResult rangeResult(Value v, Grid g, List<String> warnings) {
        List<StepSeries> series;
        if (v instanceof StepScalar s) {
            StepSeries one = new StepSeries(Labels.EMPTY, g.n);
            for (int i = 0; i < g.n; i++) {
                one.set(i, s.v[i]);
            }
            series = List.of(one);
        } else {
            series = new ArrayList<>(((StepVector) v).series);
            series.sort((a, b) -> a.labels.compareTo(b.labels));
        }
        List<Labels> labels = new ArrayList<>(series.size());
        List<long[]> tss = new ArrayList<>(series.size());
        List<double[]> vss = new ArrayList<>(series.size());
        for (StepSeries s : series) {
            int n = s.count();
            if (n == 0) {
                continue;
            }
            long[] ts = new long[n];
            double[] vs = new double[n];
            int k = 0;
            for (int i = 0; i < g.n; i++) {
                if (s.has(i)) {
                    ts[k] = g.at(i);
                    vs[k] = s.v[i];
                    k++;
                }
            }
            labels.add(s.labels);
            tss.add(ts);
            vss.add(vs);
        }
        return new QueryResult.Matrix(Collections.unmodifiableList(labels), tss, vss, warnings);
    }

    @Override
    public String toString() {
        return expr.toString();
    }
}
