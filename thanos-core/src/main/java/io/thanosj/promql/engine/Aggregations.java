package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.AggregateExpr;
import io.thanosj.promql.parser.AggregateOp;
import io.thanosj.promql.parser.GoStrconv;
import io.thanosj.promql.parser.PromQLParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregation operators. Each input series is assigned its group once per query; the simple
 * aggregations then run series by series over all steps into per-group step arrays, while topk,
 * bottomk, quantile and count_values, which need a group's members together, run step by step.
 */
final class Aggregations {
    private Aggregations() {}

    static Value eval(Evaluator ev, AggregateExpr a, Grid g) {
        AggregateOp op = a.op();
        List<String> grouping = new ArrayList<>(a.grouping());
        grouping.sort(io.thanosj.model.Utf8Order::compare);
        if (op == AggregateOp.COUNT_VALUES) {
            String label = Functions.stringArg(a.param());
            if (!PromQLParser.isValidLabelName(label)) {
                throw new ThanosException(ErrorCode.EXECUTION, "invalid label name " + GoStrconv.quote(label));
            }
            return countValues(ev, ev.evalVector(a.expr(), g), label, grouping, a.without(), g);
        }
        StepScalar param = null;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.QUANTILE) {
            param = ev.evalScalar(a.param(), g);
        }
        StepVector in = ev.evalVector(a.expr(), g);
        // Group membership, computed once per series from a hash of the grouping labels; groups are
        // numbered in first-seen order and their label sets built once per group.
        LabelSubset subset = new LabelSubset(grouping, !a.without());
        LabelSubset.Index index = new LabelSubset.Index(subset);
        int[] groupOf = new int[in.series.size()];
        for (int i = 0; i < groupOf.length; i++) {
            groupOf[i] = index.id(in.series.get(i).labels);
        }
        List<Labels> groupLabels = new ArrayList<>(index.size());
        LabelsBuilder lb = new LabelsBuilder();
        for (int id = 0; id < index.size(); id++) {
            groupLabels.add(subset.build(index.representative(id), lb));
        }
        Value out = switch (op) {
            case TOPK, BOTTOMK -> topk(ev, in, groupOf, groupLabels.size(), param, op == AggregateOp.TOPK, g);
            case QUANTILE -> quantile(ev, in, groupOf, groupLabels, param, g);
            default -> simple(ev, op, in, groupOf, groupLabels, g);
        };
        if (param != null) {
            ev.release(param);
        }
        return out;
    }

    /** The group's label set: only the {@code by} labels, or all but the {@code without} labels and the name. */
    static Labels groupKey(Labels l, List<String> grouping, boolean without, LabelsBuilder lb) {
        if (without) {
            lb.reset();
            for (int i = 0; i < l.size(); i++) {
                String n = l.name(i);
                if (!n.equals(Labels.METRIC_NAME) && !grouping.contains(n)) {
                    lb.add(n, l.value(i));
                }
            }
            return lb.build();
        }
        if (grouping.isEmpty()) {
            return Labels.EMPTY;
        }
        lb.reset();
        for (String n : grouping) {
            String v = l.get(n);
            if (!v.isEmpty()) {
                lb.set(n, v);
            }
        }
        return lb.build();
    }

    private static StepVector simple(Evaluator ev, AggregateOp op, StepVector in, int[] groupOf, List<Labels> groupLabels,
                                     Grid g) {
        int steps = g.n;
        int groups = groupLabels.size();
        ev.reserve(3L * groups * steps);
        double[] value = new double[groups * steps];
        double[] mean = (op == AggregateOp.AVG || op == AggregateOp.STDDEV || op == AggregateOp.STDVAR)
                ? new double[groups * steps] : null;
        double[] count = new double[groups * steps];
        List<StepSeries> series = in.series;
        for (int si = 0; si < series.size(); si++) {
            ev.checkCancelled();
            StepSeries s = series.get(si);
            int base = groupOf[si] * steps;
            double[] v = s.v;
            for (int w = 0; w < s.bits.length; w++) {
                long bits = s.bits[w];
                while (bits != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    int k = base + i;
                    double x = v[i];
                    double c = count[k];
                    if (c == 0) {
                        count[k] = 1;
                        switch (op) {
                            case STDDEV, STDVAR -> {
                                value[k] = 0;
                                mean[k] = x;
                            }
                            case AVG -> mean[k] = x;
                            case GROUP -> value[k] = 1;
                            default -> value[k] = x;
                        }
                        continue;
                    }
                    c++;
                    count[k] = c;
                    switch (op) {
                        case SUM -> value[k] += x;
                        case MAX -> {
                            if (value[k] < x || Double.isNaN(value[k])) {
                                value[k] = x;
                            }
                        }
                        case MIN -> {
                            if (value[k] > x || Double.isNaN(value[k])) {
                                value[k] = x;
                            }
                        }
                        case AVG -> {
                            double m = mean[k];
                            if (Double.isInfinite(m)) {
                                if (Double.isInfinite(x) && (m > 0) == (x > 0)) {
                                    break;
                                }
                                if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                                    break;
                                }
                            }
                            // Dividing before subtracting avoids overflow with huge values.
                            mean[k] = m + (x / c - m / c);
                        }
                        case STDDEV, STDVAR -> {
                            double delta = x - mean[k];
                            mean[k] += delta / c;
                            value[k] += delta * (x - mean[k]);
                        }
                        default -> {
                            // count and group need nothing more
                        }
                    }
                }
            }
        }
        ev.release(in);
        List<StepSeries> out = new ArrayList<>(groups);
        for (int gi = 0; gi < groups; gi++) {
            StepSeries r = null;
            int base = gi * steps;
            for (int i = 0; i < steps; i++) {
                double c = count[base + i];
                if (c == 0) {
                    continue;
                }
                if (r == null) {
                    r = ev.newSeries(groupLabels.get(gi), steps);
                }
                double res = switch (op) {
                    case AVG -> mean[base + i];
                    case COUNT -> c;
                    case STDVAR -> value[base + i] / c;
                    case STDDEV -> Math.sqrt(value[base + i] / c);
                    default -> value[base + i];
                };
                r.set(i, res);
            }
            if (r != null) {
                out.add(r);
            }
        }
        ev.release(3L * groups * steps);
        return new StepVector(steps, out);
    }

    private static StepVector topk(Evaluator ev, StepVector in, int[] groupOf, int groups, StepScalar param,
                                   boolean top, Grid g) {
        int steps = g.n;
        List<StepSeries> series = in.series;
        StepSeries[] outOf = new StepSeries[series.size()];
        List<StepSeries> out = new ArrayList<>();
        int[] heapSize = new int[groups];
        int[][] heaps = new int[groups][];
        for (int i = 0; i < steps; i++) {
            ev.checkCancelled();
            double kf = param.v[i];
            if (!(kf <= 0x1p63 && kf >= -0x1p63)) {
                throw new ThanosException(ErrorCode.EXECUTION, "Scalar value " + GoStrconv.formatFloat(kf) + " overflows int64");
            }
            long k = (long) kf;
            if (k < 1) {
                continue;
            }
            int cap = (int) Math.min(k, series.size());
            Arrays.fill(heapSize, 0);
            List<Integer> order = new ArrayList<>();
            for (int si = 0; si < series.size(); si++) {
                StepSeries s = series.get(si);
                if (!s.has(i)) {
                    continue;
                }
                int gi = groupOf[si];
                if (heaps[gi] == null || heaps[gi].length < cap) {
                    heaps[gi] = new int[Math.max(cap, 1)];
                }
                if (heapSize[gi] == 0) {
                    order.add(gi);
                }
                offer(heaps[gi], heapSize, gi, cap, si, series, i, top);
            }
            for (int gi : order) {
                int[] h = heaps[gi];
                int n = heapSize[gi];
                Integer[] members = new Integer[n];
                for (int m = 0; m < n; m++) {
                    members[m] = h[m];
                }
                int step = i;
                // Best first; NaN always last.
                Arrays.sort(members, (x, y) -> -compareForHeap(series.get(x).v[step], series.get(y).v[step], top));
                for (int si : members) {
                    StepSeries o = outOf[si];
                    if (o == null) {
                        o = ev.newSeries(series.get(si).labels, steps);
                        outOf[si] = o;
                        out.add(o);
                    }
                    o.set(i, series.get(si).v[i]);
                }
            }
        }
        ev.release(in);
        return new StepVector(steps, out);
    }

    /**
     * Order of the heap: the root is the element to evict first. For topk that is the smallest value,
     * for bottomk the largest; NaN is always evicted first. Returns negative when {@code a} is evicted before {@code b}.
     */
    private static int compareForHeap(double a, double b, boolean top) {
        boolean an = Double.isNaN(a);
        boolean bn = Double.isNaN(b);
        if (an || bn) {
            return an == bn ? 0 : an ? -1 : 1;
        }
        return top ? Double.compare(a, b) : Double.compare(b, a);
    }

    private static void offer(int[] h, int[] sizes, int gi, int cap, int si, List<StepSeries> series, int step, boolean top) {
        int n = sizes[gi];
        double x = series.get(si).v[step];
        if (n < cap) {
            h[n] = si;
            sizes[gi] = n + 1;
            siftUp(h, n, series, step, top);
            return;
        }
        double root = series.get(h[0]).v[step];
        boolean replace = top ? (root < x || Double.isNaN(root)) : (root > x || Double.isNaN(root));
        if (replace) {
            h[0] = si;
            siftDown(h, 0, n, series, step, top);
        }
    }

    private static void siftUp(int[] h, int j, List<StepSeries> series, int step, boolean top) {
        while (j > 0) {
            int parent = (j - 1) / 2;
            if (compareForHeap(series.get(h[j]).v[step], series.get(h[parent]).v[step], top) >= 0) {
                break;
            }
            int t = h[j];
            h[j] = h[parent];
            h[parent] = t;
            j = parent;
        }
    }

    private static void siftDown(int[] h, int j, int n, List<StepSeries> series, int step, boolean top) {
        while (true) {
            int l = 2 * j + 1;
            if (l >= n) {
                return;
            }
            int c = l;
            if (l + 1 < n && compareForHeap(series.get(h[l + 1]).v[step], series.get(h[l]).v[step], top) < 0) {
                c = l + 1;
            }
            if (compareForHeap(series.get(h[c]).v[step], series.get(h[j]).v[step], top) >= 0) {
                return;
            }
            int t = h[j];
            h[j] = h[c];
            h[c] = t;
            j = c;
        }
    }

    private static StepVector quantile(Evaluator ev, StepVector in, int[] groupOf, List<Labels> groupLabels,
                                       StepScalar param, Grid g) {
        int steps = g.n;
        int groups = groupLabels.size();
        int[] members = new int[groups];
        for (int gi : groupOf) {
            members[gi]++;
        }
        double[][] vals = new double[groups][];
        for (int gi = 0; gi < groups; gi++) {
            vals[gi] = new double[members[gi]];
        }
        StepSeries[] res = new StepSeries[groups];
        int[] n = new int[groups];
        for (int i = 0; i < steps; i++) {
            ev.checkCancelled();
            Arrays.fill(n, 0);
            List<StepSeries> series = in.series;
            for (int si = 0; si < series.size(); si++) {
                StepSeries s = series.get(si);
                if (s.has(i)) {
                    int gi = groupOf[si];
                    vals[gi][n[gi]++] = s.v[i];
                }
            }
            for (int gi = 0; gi < groups; gi++) {
                if (n[gi] == 0) {
                    continue;
                }
                if (res[gi] == null) {
                    res[gi] = ev.newSeries(groupLabels.get(gi), steps);
                }
                res[gi].set(i, RangeKernels.quantile(param.v[i], vals[gi], n[gi]));
            }
        }
        ev.release(in);
        List<StepSeries> out = new ArrayList<>(groups);
        for (StepSeries r : res) {
            if (r != null) {
                out.add(r);
            }
        }
        return new StepVector(steps, out);
    }

    private static StepVector countValues(Evaluator ev, StepVector in, String label, List<String> grouping,
                                          boolean without, Grid g) {
        int steps = g.n;
        List<String> by = grouping;
        if (!without) {
            by = new ArrayList<>(grouping);
            by.add(label);
        }
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        LabelsBuilder lb = new LabelsBuilder();
        // Values rarely change from step to step: remember each series' last value and its output series.
        int n = in.series.size();
        double[] lastValue = new double[n];
        StepSeries[] lastOut = new StepSeries[n];
        for (int i = 0; i < steps; i++) {
            ev.checkCancelled();
            for (int si = 0; si < n; si++) {
                StepSeries s = in.series.get(si);
                if (!s.has(i)) {
                    continue;
                }
                double v = s.v[i];
                StepSeries r = lastOut[si];
                if (r == null || Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(lastValue[si])) {
                    Labels withValue = s.labels.toBuilder().set(label, GoStrconv.formatFloatPlain(v)).build();
                    Labels key = groupKey(withValue, by, without, lb);
                    r = out.get(key);
                    if (r == null) {
                        r = ev.newSeries(key, steps);
                        out.put(key, r);
                    }
                    lastOut[si] = r;
                    lastValue[si] = v;
                }
                r.set(i, r.has(i) ? r.v[i] + 1 : 1);
            }
        }
        ev.release(in);
        return new StepVector(steps, new ArrayList<>(out.values()));
    }
}
