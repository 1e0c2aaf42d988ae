package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import java.util.List;

/**
 * A subset of a series' labels, as used by grouping ({@code by}/{@code without}) and vector matching
 * ({@code on}/{@code ignoring}): hashed and compared in place, without building the subset, so that
 * assigning a series to its group costs no allocation. {@link #build} makes the label set once per group.
 */
final class LabelSubset {
    private final String[] names;
    private final boolean only;

    /**
     * @param names label names, sorted
     * @param only true to keep only {@code names} ({@code by}, {@code on}); false to keep all labels but
     *     {@code names} and {@code __name__} ({@code without}, {@code ignoring})
     */
    LabelSubset(List<String> names, boolean only) {
        this.names = names.toArray(new String[0]);
        this.only = only;
    }

    private boolean excluded(String n) {
        if (n.equals(Labels.METRIC_NAME)) {
            return true;
        }
        for (String x : names) {
            if (x.equals(n)) {
                return true;
            }
        }
        return false;
    }

    long hash(Labels l) {
        long h = 0x9E3779B97F4A7C15L;
        if (only) {
            for (String n : names) {
                String v = l.get(n);
                if (!v.isEmpty()) {
                    h = mix(h, n, v);
                }
            }
        } else {
            for (int i = 0; i < l.size(); i++) {
                String n = l.name(i);
                if (!excluded(n)) {
                    h = mix(h, n, l.value(i));
                }
            }
        }
        return h;
    }

    private static long mix(long h, String n, String v) {
        long x = h ^ (n.hashCode() * 0xC2B2AE3D27D4EB4FL) ^ ((long) v.hashCode() << 32 | (v.length() & 0xFFFFFFFFL));
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    boolean equal(Labels a, Labels b) {
        if (only) {
            for (String n : names) {
                if (!a.get(n).equals(b.get(n))) {
                    return false;
                }
            }
            return true;
        }
        int i = 0;
        int j = 0;
        while (true) {
            while (i < a.size() && excluded(a.name(i))) {
                i++;
            }
            while (j < b.size() && excluded(b.name(j))) {
                j++;
            }
            if (i == a.size() || j == b.size()) {
                return i == a.size() && j == b.size();
            }
            if (!a.name(i).equals(b.name(j)) || !a.value(i).equals(b.value(j))) {
                return false;
            }
            i++;
            j++;
        }
    }

    Labels build(Labels l, LabelsBuilder lb) {
        lb.reset();
        if (only) {
            for (String n : names) {
                String v = l.get(n);
                if (!v.isEmpty()) {
                    lb.set(n, v);
                }
            }
        } else {
            for (int i = 0; i < l.size(); i++) {
                if (!excluded(l.name(i))) {
                    lb.add(l.name(i), l.value(i));
                }
            }
        }
        return lb.build();
    }

    /** Numbers distinct subsets in first-seen order; collisions of the 64-bit hash are resolved by comparison. */
    static final class Index {
        private final LabelSubset subset;
        private final LongIntMap first = new LongIntMap();
        private Labels[] reps = new Labels[16];
        private int[] chain = new int[16];
        private int size;

        Index(LabelSubset subset) {
            this.subset = subset;
        }

        /** The id of the series' subset, adding a new id for a subset not seen before. */
        int id(Labels l) {
            long h = subset.hash(l);
            int id = first.get(h);
            int last = -1;
            for (int k = id; k >= 0; k = chain[k]) {
                if (subset.equal(reps[k], l)) {
                    return k;
                }
                last = k;
            }
            if (size == reps.length) {
                reps = java.util.Arrays.copyOf(reps, size * 2);
                chain = java.util.Arrays.copyOf(chain, size * 2);
            }
            int n = size++;
            reps[n] = l;
            chain[n] = -1;
            if (last < 0) {
                first.put(h, n);
            } else {
                chain[last] = n;
            }
            return n;
        }

        /** The id of the series' subset, or -1 when it was never added. */
        int find(Labels l) {
            for (int k = first.get(subset.hash(l)); k >= 0; k = chain[k]) {
                if (subset.equal(reps[k], l)) {
                    return k;
                }
            }
            return -1;
        }

        int size() {
            return size;
        }

        /** A series that has the subset with this id. */
        Labels representative(int id) {
            return reps[id];
        }
    }
}
