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
        }
        return new StepVector(steps, out);
    }

    /**
     * Drops {@code __name__} from every series and merges the results like {@link #mergeByLabels}. The
     * series of a vector have distinct label sets, so when they all carry the same name (the usual
     * case: one metric) dropping it cannot create duplicates and no map is needed.
     */
    static StepVector dropMetricNames(int steps, List<StepSeries> series) {
        boolean oneName = sameName(series);
        for (StepSeries s : series) {
            s.labels = Evaluator.dropMetricName(s.labels);
        }
        if (oneName) {
            series.removeIf(StepSeries::isEmpty);
            return new StepVector(steps, series);
        }
        return mergeByLabels(steps, series);
    }

    /** Like {@link #checkDistinct} after dropping names, skipping the check when one name is shared. */
    static void dropMetricNamesChecked(List<StepSeries> series) {
        boolean oneName = sameName(series);
        for (StepSeries s : series) {
            s.labels = Evaluator.dropMetricName(s.labels);
        }
        if (!oneName) {
            checkDistinct(series);
        }
    }

    private static boolean sameName(List<StepSeries> series) {
        String name = null;
        for (StepSeries s : series) {
            String n = s.labels.get(Labels.METRIC_NAME);
            if (name == null) {
                name = n;
            } else if (!name.equals(n)) {
                return false;
            }
        }
        return true;
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
