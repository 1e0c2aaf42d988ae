package io.thanosj.model;

import java.util.Arrays;

/**
 * Mutable, reusable builder for {@link Labels}. Decoders keep one and call {@link #reset()} per
 * series, so building a label set costs one array copy and no intermediate maps.
 */
public final class LabelsBuilder {
    private String[] kv;
    private int n; // number of strings used (2 per label)

    public LabelsBuilder() {
        kv = new String[16];
    }

    public LabelsBuilder(Labels base) {
        String[] a = base.array();
        kv = Arrays.copyOf(a, Math.max(16, a.length + 4));
        n = a.length;
    }

    public LabelsBuilder reset() {
        Arrays.fill(kv, 0, n, null);
        n = 0;
        return this;
    }

    /** Starts over from {@code base}'s labels: one array copy, no lookups (cheaper than adding each). */
    public LabelsBuilder reset(Labels base) {
        String[] a = base.array();
        if (kv.length < a.length + 2) {
            kv = new String[Math.max(16, a.length + 4)];
        } else if (n > a.length) {
            Arrays.fill(kv, a.length, n, null);
        }
        System.arraycopy(a, 0, kv, 0, a.length);
        n = a.length;
        return this;
    }

    /** Sets a label; an empty value deletes it, as in Prometheus. */
    public LabelsBuilder set(String name, String value) {
        if (value == null || value.isEmpty()) {
            return delete(name);
        }
        return put(Labels.intern(name), Labels.intern(value));
    }

    /** Sets a label whose (non-empty) strings are interned already. */
    private LabelsBuilder put(String name, String value) {
        int i = find(name);
        if (i >= 0) {
            kv[i + 1] = value;
            return this;
        }
        int at = -(i + 1);
        if (n + 2 > kv.length) {
            kv = Arrays.copyOf(kv, kv.length * 2);
        }
        System.arraycopy(kv, at, kv, at + 2, n - at);
        kv[at] = name;
        kv[at + 1] = value;
        n += 2;
        return this;
    }

    /**
     * Appends a label known to sort after every label added so far (decoding an already sorted
     * series); falls back to {@link #set} when it does not.
     */
    public LabelsBuilder add(String name, String value) {
        if (n == 0 || Utf8Order.compare(kv[n - 2], name) < 0) {
            if (value == null || value.isEmpty()) {
                return this;
            }
            if (n + 2 > kv.length) {
                kv = Arrays.copyOf(kv, kv.length * 2);
            }
            kv[n++] = Labels.intern(name);
            kv[n++] = Labels.intern(value);
            return this;
        }
        return set(name, value);
    }

    /**
     * Appends a label for decoders of sorted label sets (Prometheus's {@code ScratchBuilder.Add}):
     * {@code name} must sort after every name added so far and both strings must come from
     * {@link Labels#intern}, as the caller has checked; nothing is compared or looked up. Empty
     * values are dropped as by {@link #add}. When either is not certain, use {@link #add}.
     */
    public LabelsBuilder appendInterned(String name, String value) {
        if (value.isEmpty()) {
            return this;
        }
        if (n + 2 > kv.length) {
            kv = Arrays.copyOf(kv, kv.length * 2);
        }
        kv[n++] = name;
        kv[n++] = value;
        return this;
    }

    /**
     * Sets every label of {@code ls} (whose strings are interned, as in every {@link Labels}), as
     * {@link #set} would but without interning again: for adding a fixed label set to many series.
     */
    public LabelsBuilder setAll(Labels ls) {
        for (int j = 0, m = ls.size(); j < m; j++) {
            put(ls.name(j), ls.value(j));
        }
        return this;
    }

    /** The name of the label added last, or null when empty. */
    public String lastName() {
        return n == 0 ? null : kv[n - 2];
    }

    public LabelsBuilder delete(String name) {
        int i = find(name);
        if (i >= 0) {
            System.arraycopy(kv, i + 2, kv, i, n - i - 2);
            n -= 2;
            kv[n] = null;
            kv[n + 1] = null;
        }
        return this;
    }

    public String get(String name) {
        int i = find(name);
        return i >= 0 ? kv[i + 1] : "";
    }

    public int size() {
        return n >> 1;
    }

    public Labels build() {
        return n == 0 ? Labels.EMPTY : new Labels(Arrays.copyOf(kv, n));
    }

    /** Position (even index) of the name, or -(insertion point)-1 as an even index. */
    private int find(String name) {
        int lo = 0, hi = (n >> 1) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Utf8Order.compare(kv[mid << 1], name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid << 1;
            }
        }
        return -((lo << 1) + 1);
    }
}
