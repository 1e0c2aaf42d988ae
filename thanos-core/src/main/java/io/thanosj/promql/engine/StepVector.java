package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An instant vector over a step grid: its series in result order. */
final class StepVector implements Value {
    final int steps;
    final List<StepSeries> series;

    StepVector(int steps, List<StepSeries> series) {
        this.steps = steps;
        this.series = series;
    }

    static StepVector empty(int steps) {
        return new StepVector(steps, new ArrayList<>(0));
    }

    long points() {
        long p = 0;
        for (StepSeries s : series) {
            p += s.count();
        }
        return p;
    }

    static ThanosException duplicateLabelset() {
        return new ThanosException(ErrorCode.EXECUTION, "vector cannot contain metrics with the same labelset");
    }

    /**
     * Combines candidate series with equal labels into one, as Prometheus gathers step results by
     * label set; two of them with a value at the same step is the duplicate-labelset error. Empty
     * series are dropped; first-seen order is kept.
     */
    static StepVector mergeByLabels(int steps, List<StepSeries> candidates) {
        Map<Labels, StepSeries> seen = new HashMap<>(candidates.size() * 2);
        List<StepSeries> out = new ArrayList<>(candidates.size());
        boolean merged = false;
        for (StepSeries s : candidates) {
            if (s.isEmpty()) {
                continue;
            }
            StepSeries prev = seen.putIfAbsent(s.labels, s);
            if (prev == null) {
                out.add(s);
                continue;
            }
            if (prev.overlaps(s)) {
                throw duplicateLabelset();
            }
            prev.mergeFrom(s);
            merged = true;
        }
        return new StepVector(steps, out);
    }

    /** Prometheus's whole-matrix check: no two non-empty series may share a label set, whatever their steps. */
    static void checkDistinct(List<StepSeries> series) {
        Map<Labels, Boolean> seen = new HashMap<>(series.size() * 2);
        for (StepSeries s : series) {
            if (seen.put(s.labels, Boolean.TRUE) != null) {
                throw duplicateLabelset();
            }
        }
    }
}
