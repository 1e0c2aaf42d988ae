package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.BinaryExpr;
import io.thanosj.promql.parser.BinaryOp;
import io.thanosj.promql.parser.ValueType;
import io.thanosj.promql.parser.VectorMatching;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary operators. For two vectors, each series' join signature is computed once; the matching
 * then works on presence bitmaps, so the per-step checks Prometheus makes (many-to-many, duplicate
 * results) cost a few word operations per pair of matched series.
 */
final class BinaryOps {
    private BinaryOps() {}

    static Value eval(Evaluator ev, BinaryExpr b, Grid g) {
        ValueType lt = b.lhs().type();
        ValueType rt = b.rhs().type();
        BinaryOp op = b.op();
        if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            StepScalar l = ev.evalScalar(b.lhs(), g);
            StepScalar r = ev.evalScalar(b.rhs(), g);
            for (int i = 0; i < l.v.length; i++) {
                l.v[i] = scalarOp(op, l.v[i], r.v[i]);
            }
            ev.release(r);
            return l;
        }
        if (lt == ValueType.VECTOR && rt == ValueType.SCALAR) {
            StepVector l = ev.evalVector(b.lhs(), g);
            StepScalar r = ev.evalScalar(b.rhs(), g);
            return vectorScalar(ev, op, l, r, false, b.returnBool());
        }
        if (lt == ValueType.SCALAR) {
            StepScalar l = ev.evalScalar(b.lhs(), g);
            StepVector r = ev.evalVector(b.rhs(), g);
            return vectorScalar(ev, op, r, l, true, b.returnBool());
        }
        StepVector l = ev.evalVector(b.lhs(), g);
        StepVector r = ev.evalVector(b.rhs(), g);
        VectorMatching vm = b.matching();
        return switch (op) {
            case LAND -> and(ev, l, r, vm, g, false);
            case LUNLESS -> and(ev, l, r, vm, g, true);
            case LOR -> or(ev, l, r, vm, g);
            default -> vectorOp(ev, op, l, r, vm, b.returnBool(), g);
        };
    }

    static double scalarOp(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> GoMath.pow(l, r);
            case MOD -> l % r;
            case EQLC -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            case ATAN2 -> Math.atan2(l, r);
            default -> throw new IllegalStateException("operator " + op + " not allowed for scalar operations");
        };
    }

    /** Arithmetic result, or for comparisons whether the pair is kept (the value is then {@code l}). */
    static boolean keeps(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQLC -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> true;
        };
    }

    static double arith(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> GoMath.pow(l, r);
            case MOD -> l % r;
            case ATAN2 -> Math.atan2(l, r);
            default -> l; // comparisons yield the left value
        };
    }

    private static StepVector vectorScalar(Evaluator ev, BinaryOp op, StepVector vec, StepScalar sc, boolean swap,
                                           boolean returnBool) {
        boolean cmp = op.isComparison();
        boolean drop = op.dropsMetricName() || returnBool;
        for (StepSeries s : vec.series) {
            double[] v = s.v;
            for (int i = 0; i < v.length; i++) {
                if (!s.has(i)) {
                    continue;
                }
                double lv = swap ? sc.v[i] : v[i];
                double rv = swap ? v[i] : sc.v[i];
                boolean keep = keeps(op, lv, rv);
                double value = cmp ? v[i] : arith(op, lv, rv);
                if (returnBool) {
                    value = keep ? 1 : 0;
                    keep = true;
                }
                if (keep) {
                    v[i] = value;
                } else {
                    s.clear(i);
                }
            }
        }
        ev.release(sc);
        if (drop) {
            return StepVector.dropMetricNames(vec.steps, vec.series);
        }
        vec.series.removeIf(StepSeries::isEmpty); // labels unchanged: still distinct
        return vec;
    }

    /** Union of the presence bitmaps of the series of each signature, indexed by signature id. */
    private static List<long[]> presenceBySignature(List<StepSeries> series, LabelSubset.Index index, int words) {
        List<long[]> bits = new ArrayList<>();
        for (StepSeries s : series) {
            int id = index.id(s.labels);
            if (id == bits.size()) {
                bits.add(new long[words]);
            }
            long[] b = bits.get(id);
            for (int w = 0; w < words; w++) {
                b[w] |= s.bits[w];
            }
        }
        return bits;
    }

    /** {@code and} keeps left samples whose signature the right side has at that step; {@code unless} the others. */
    private static StepVector and(Evaluator ev, StepVector l, StepVector r, VectorMatching vm, Grid g, boolean unless) {
        int words = (g.n + 63) >>> 6;
        LabelSubset.Index right = new LabelSubset.Index(matchingSubset(vm));
        List<long[]> rightBits = presenceBySignature(r.series, right, words);
        List<StepSeries> out = new ArrayList<>(l.series.size());
        for (StepSeries s : l.series) {
            int id = right.find(s.labels);
            long[] rb = id < 0 ? null : rightBits.get(id);
            for (int w = 0; w < words; w++) {
                long mask = rb == null ? 0 : rb[w];
                s.bits[w] &= unless ? ~mask : mask;
            }
            if (!s.isEmpty()) {
                out.add(s);
            } else {
                ev.release(g.n);
            }
        }
        ev.release(r);
        return new StepVector(g.n, out);
    }

    /** {@code or}: all left samples, plus right samples whose signature the left side lacks at that step. */
    private static StepVector or(Evaluator ev, StepVector l, StepVector r, VectorMatching vm, Grid g) {
        int words = (g.n + 63) >>> 6;
        LabelSubset.Index left = new LabelSubset.Index(matchingSubset(vm));
        List<long[]> leftBits = presenceBySignature(l.series, left, words);
        List<StepSeries> out = new ArrayList<>(l.series.size() + r.series.size());
        out.addAll(l.series);
        for (StepSeries s : r.series) {
            int id = left.find(s.labels);
            if (id >= 0) {
                long[] lbits = leftBits.get(id);
                for (int w = 0; w < words; w++) {
                    s.bits[w] &= ~lbits[w];
                }
            }
            out.add(s);
        }
        return StepVector.mergeByLabels(g.n, out);
    }

    static LabelSubset matchingSubset(VectorMatching vm) {
        List<String> names = new ArrayList<>(vm.matchingLabels());
        names.sort(io.thanosj.model.Utf8Order::compare);
        return new LabelSubset(names, vm.on());
    }

    private static StepVector vectorOp(Evaluator ev, BinaryOp op, StepVector l, StepVector r, VectorMatching vm,
                                       boolean returnBool, Grid g) {
        int steps = g.n;
        int words = (steps + 63) >>> 6;
        boolean swapped = vm.card() == VectorMatching.Card.ONE_TO_MANY;
        List<StepSeries> many = swapped ? r.series : l.series;
        List<StepSeries> one = swapped ? l.series : r.series;
        LabelSubset subset = matchingSubset(vm);
        LabelSubset.Index sigs = new LabelSubset.Index(subset);

        // Signatures are numbered once per series: the "one" side's define them, the "many" side looks them up.
        List<List<Integer>> oneBySig = new ArrayList<>();
        for (int j = 0; j < one.size(); j++) {
            int id = sigs.id(one.get(j).labels);
            if (id == oneBySig.size()) {
                oneBySig.add(new ArrayList<>(1));
            }
            oneBySig.get(id).add(j);
        }
        long[] anyMany = new long[words];
        int[] manySig = new int[many.size()];
        for (int i = 0; i < many.size(); i++) {
            StepSeries s = many.get(i);
            manySig[i] = sigs.find(s.labels);
            for (int w = 0; w < words; w++) {
                anyMany[w] |= s.bits[w];
            }
        }
        checkOneSideUnique(one, oneBySig, sigs, subset, anyMany, swapped, words);

        boolean oneToOne = vm.card() == VectorMatching.Card.ONE_TO_ONE;
        boolean cmp = op.isComparison();
        // Steps already producing a result, per signature (one-to-one) or per signature and result labels.
        long[][] claimedBySig = new long[oneBySig.size()][];
        Map<Object, long[]> claimed = oneToOne ? null : new HashMap<>();
        List<StepSeries> out = new ArrayList<>(many.size());
        for (int i = 0; i < many.size(); i++) {
            ev.checkCancelled();
            if (manySig[i] < 0) {
                continue;
            }
            List<Integer> cands = oneBySig.get(manySig[i]);
            StepSeries ls = many.get(i);
            for (int j : cands) {
                StepSeries rs = one.get(j);
                StepSeries res = null;
                for (int w = 0; w < words; w++) {
                    long both = ls.bits[w] & rs.bits[w];
                    while (both != 0) {
                        int k = (w << 6) + Long.numberOfTrailingZeros(both);
                        both &= both - 1;
                        double vl = swapped ? rs.v[k] : ls.v[k];
                        double vr = swapped ? ls.v[k] : rs.v[k];
                        boolean keep = keeps(op, vl, vr);
                        double value = cmp ? vl : arith(op, vl, vr);
                        if (returnBool) {
                            value = keep ? 1 : 0;
                        } else if (!keep) {
                            continue;
                        }
                        if (res == null) {
                            res = ev.newSeries(null, steps);
                        }
                        res.set(k, value);
                    }
                }
                if (res == null) {
                    continue;
                }
                res.labels = resultLabels(ls.labels, rs.labels, op, vm, returnBool);
                long[] c;
                if (oneToOne) {
                    c = claimedBySig[manySig[i]];
                    if (c == null) {
                        c = new long[words];
                        claimedBySig[manySig[i]] = c;
                    }
                } else {
                    c = claimed.computeIfAbsent(List.of(manySig[i], res.labels), k -> new long[words]);
                }
                for (int w = 0; w < words; w++) {
                    if ((c[w] & res.bits[w]) != 0) {
                        throw new ThanosException(ErrorCode.EXECUTION, oneToOne
                                ? "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                                : "multiple matches for matching labels: grouping labels must ensure unique results");
                    }
                    c[w] |= res.bits[w];
                }
                out.add(res);
            }
        }
        ev.release(l);
        ev.release(r);
        return StepVector.mergeByLabels(steps, out);
    }

    /**
     * The "one" side may not have two series with one signature at a step where the other side has
     * samples. Like Prometheus, report the earliest such step and, within it, the first duplicate in
     * series order.
     */
    private static void checkOneSideUnique(List<StepSeries> one, List<List<Integer>> oneBySig, LabelSubset.Index sigs,
                                           LabelSubset subset, long[] anyMany, boolean swapped, int words) {
        int firstStep = Integer.MAX_VALUE;
        for (List<Integer> idx : oneBySig) {
            if (idx.size() < 2) {
                continue;
            }
            long[] seen = new long[words];
            for (int j : idx) {
                StepSeries s = one.get(j);
                for (int w = 0; w < words; w++) {
                    long dup = seen[w] & s.bits[w] & anyMany[w];
                    if (dup != 0) {
                        firstStep = Math.min(firstStep, (w << 6) + Long.numberOfTrailingZeros(dup));
                    }
                    seen[w] |= s.bits[w];
                }
            }
        }
        if (firstStep == Integer.MAX_VALUE) {
            return;
        }
        int[] firstOf = new int[oneBySig.size()];
        java.util.Arrays.fill(firstOf, -1);
        for (int j = 0; j < one.size(); j++) {
            StepSeries s = one.get(j);
            if (!s.has(firstStep)) {
                continue;
            }
            int id = sigs.find(s.labels);
            if (firstOf[id] >= 0) {
                Labels group = subset.build(s.labels, new LabelsBuilder());
                throw new ThanosException(ErrorCode.EXECUTION, "found duplicate series for the match group " + group
                        + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: [" + s.labels + ", "
                        + one.get(firstOf[id]).labels
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
            firstOf[id] = j;
        }
    }

    /** Labels of a result: the "many" side's, trimmed for one-to-one matching, plus group_x labels from the "one" side. */
    static Labels resultLabels(Labels many, Labels one, BinaryOp op, VectorMatching vm, boolean returnBool) {
        LabelsBuilder b = many.toBuilder();
        if (op.dropsMetricName() || returnBool) {
            b.delete(Labels.METRIC_NAME);
        }
        if (vm.card() == VectorMatching.Card.ONE_TO_ONE) {
            if (vm.on()) {
                LabelsBuilder kept = new LabelsBuilder();
                for (String n : vm.matchingLabels()) {
                    String v = b.get(n);
                    if (!v.isEmpty()) {
                        kept.set(n, v);
                    }
                }
                b = kept;
            } else {
                for (String n : vm.matchingLabels()) {
                    b.delete(n);
                }
            }
        }
        for (String n : vm.include()) {
            String v = one.get(n);
            if (!v.isEmpty()) {
                b.set(n, v);
            } else {
                b.delete(n);
            }
        }
        return b.build();
    }
}
