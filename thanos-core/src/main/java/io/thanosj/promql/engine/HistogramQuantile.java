package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import io.thanosj.promql.parser.GoStrconv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile() over classic histograms: bucket series are grouped by their labels without
 * {@code le} once per query; at each step the present buckets of a group give one quantile.
 */
final class HistogramQuantile {
    private HistogramQuantile() {}

    private static final class Group {
        final Labels outLabels;
        final List<StepSeries> buckets = new ArrayList<>();
        double[] upper = new double[8];

        Group(Labels outLabels) {
            this.outLabels = outLabels;
        }
    }

    static StepVector eval(Evaluator ev, StepScalar q, StepVector in, Grid g) {
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (StepSeries s : in.series) {
            String le = s.labels.get("le");
            double upper;
            try {
                upper = GoStrconv.parseFloat(le);
            } catch (NumberFormatException e) {
                continue; // no or malformed bucket label: not a bucket
            }
            Labels key = s.labels.without("le");
            Group grp = groups.get(key);
            if (grp == null) {
                grp = new Group(key.without(Labels.METRIC_NAME));
                groups.put(key, grp);
            }
            if (grp.buckets.size() == grp.upper.length) {
                grp.upper = Arrays.copyOf(grp.upper, grp.upper.length * 2);
            }
            grp.upper[grp.buckets.size()] = upper;
            grp.buckets.add(s);
        }
        List<StepSeries> out = new ArrayList<>(groups.size());
        double[] ub = new double[16];
        double[] cnt = new double[16];
        for (Group grp : groups.values()) {
            ev.checkCancelled();
            int nb = grp.buckets.size();
            if (ub.length < nb) {
                ub = new double[nb];
                cnt = new double[nb];
            }
            StepSeries res = null;
            for (int i = 0; i < g.n; i++) {
                int k = 0;
                for (int b = 0; b < nb; b++) {
                    StepSeries s = grp.buckets.get(b);
                    if (s.has(i)) {
                        ub[k] = grp.upper[b];
                        cnt[k] = s.v[i];
                        k++;
                    }
                }
                if (k == 0) {
                    continue;
                }
                if (res == null) {
                    res = ev.newSeries(grp.outLabels, g.n);
                }
                res.set(i, bucketQuantile(q.v[i], ub, cnt, k));
            }
            if (res != null) {
                out.add(res);
            }
        }
        ev.release(in);
        ev.release(q);
        return StepVector.mergeByLabels(g.n, out);
    }

    /** Prometheus's bucketQuantile over {@code k} (upper bound, cumulative count) pairs, reordered in place. */
    static double bucketQuantile(double q, double[] ub, double[] cnt, int k) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortByUpperBound(ub, cnt, k);
        if (ub[k - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // Coalesce buckets with the same upper bound (e.g. le="0.2" and le="2e-1").
        int n = 0;
        for (int i = 0; i < k; i++) {
            if (n > 0 && ub[n - 1] == ub[i]) {
                cnt[n - 1] += cnt[i];
            } else {
                ub[n] = ub[i];
                cnt[n] = cnt[i];
                n++;
            }
        }
        // Counts must not decrease with the bound; races between bucket series can break that.
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (cnt[i] > max) {
                max = cnt[i];
            } else if (cnt[i] < max) {
                cnt[i] = max;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double observations = cnt[n - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        int hi = n - 1; // search over [0, n-1), like sort.Search(len(buckets)-1, ...)
        while (b < hi) {
            int mid = (b + hi) >>> 1;
            if (cnt[mid] >= rank) {
                hi = mid;
            } else {
                b = mid + 1;
            }
        }
        if (b == n - 1) {
            return ub[n - 2];
        }
        if (b == 0 && ub[0] <= 0) {
            return ub[0];
        }
        double bucketStart = 0;
        double bucketEnd = ub[b];
        double count = cnt[b];
        if (b > 0) {
            bucketStart = ub[b - 1];
            count -= cnt[b - 1];
            rank -= cnt[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    private static void sortByUpperBound(double[] ub, double[] cnt, int k) {
        for (int i = 1; i < k; i++) { // insertion sort: bucket counts are small and usually sorted already
            double u = ub[i];
            double c = cnt[i];
            int j = i - 1;
            while (j >= 0 && ub[j] > u) {
                ub[j + 1] = ub[j];
                cnt[j + 1] = cnt[j];
                j--;
            }
            ub[j + 1] = u;
            cnt[j + 1] = c;
        }
    }
}
