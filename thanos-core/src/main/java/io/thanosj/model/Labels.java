package io.thanosj.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * An immutable label set: names and values interleaved in one array, sorted by name, strings
 * interned so that equal label sets share their strings. The 64-bit hash is Prometheus's
 * ({@code xxhash64} over {@code name 0xff value 0xff ...}) and is computed once.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    private static final Map<String, String> INTERNED = new ConcurrentHashMap<>();
    private static final int MAX_INTERNED = 1 << 20;

    private final String[] kv;
    private long hash;
    private boolean hashed;

    /** Wraps an interleaved, sorted, de-duplicated array without copying; callers must not change it. */
    Labels(String[] kv) {
        this.kv = kv;
    }

    /** Label set from alternating names and values in any order; later duplicates win. */
    public static Labels of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got " + nameValues.length + " strings");
        }
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.set(nameValues[i], nameValues[i + 1]);
        }
        return b.build();
    }

    public static Labels fromMap(Map<String, String> map) {
        LabelsBuilder b = new LabelsBuilder();
        map.forEach(b::set);
        return b.build();
    }

    /** Interns label strings; bounded so that label churn cannot grow the table forever. */
    public static String intern(String s) {
        String v = INTERNED.get(s);
        if (v != null) {
            return v;
        }
        if (INTERNED.size() >= MAX_INTERNED) {
            return s;
        }
        v = INTERNED.putIfAbsent(s, s);
        return v == null ? s : v;
    }

    public int size() {
        return kv.length >> 1;
    }

    public boolean isEmpty() {
        return kv.length == 0;
    }

    public String name(int i) {
        return kv[i << 1];
    }

    public String value(int i) {
        return kv[(i << 1) + 1];
    }

    /** Value of the label, or the empty string when absent (Prometheus's convention). */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : kv[(i << 1) + 1];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** Index of the label with this name, or a negative number. Binary search over the sorted names. */
    public int indexOf(String name) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Utf8Order.compare(kv[mid << 1], name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public void forEach(BiConsumer<String, String> f) {
        for (int i = 0; i < kv.length; i += 2) {
            f.accept(kv[i], kv[i + 1]);
        }
    }

    public LabelsBuilder toBuilder() {
        return new LabelsBuilder(this);
    }

    /** This label set without the given names (e.g. dropping {@code __name__}). */
    public Labels without(String... names) {
        if (names.length == 1) {
            // One name (the engine drops __name__ from every series it computes): one array copy.
            int i = indexOf(names[0]);
            if (i < 0) {
                return this;
            }
            String[] a = new String[kv.length - 2];
            System.arraycopy(kv, 0, a, 0, 2 * i);
            System.arraycopy(kv, 2 * i + 2, a, 2 * i, kv.length - 2 * i - 2);
            return a.length == 0 ? EMPTY : new Labels(a);
        }
        LabelsBuilder b = toBuilder();
        for (String n : names) {
            b.delete(n);
        }
        return b.build();
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        forEach(m::put);
        return m;
    }

    /** Prometheus's label-set hash: stable across processes and versions. */
    public long hash() {
        if (!hashed) {
            hash = computeHash(kv, 0, kv.length);
            hashed = true;
        }
        return hash;
    }

    static long computeHash(String[] kv, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int i = from; i < to; i++) {
            byte[] b = kv[i].getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0xff);
        }
        byte[] all = out.toByteArray();
        return XxHash64.hash(all, 0, all.length);
    }

    /** Raw interleaved array; package-private so only the builder shares it. */
    String[] array() {
        return kv;
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            int c = Utf8Order.compare(kv[i], o.kv[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Labels other)) {
            return false;
        }
        if (kv.length != other.kv.length || (hashed && other.hashed && hash != other.hash)) {
            return false;
        }
        return Arrays.equals(kv, other.kv);
    }

    @Override
    public int hashCode() {
        long h = hash();
        return (int) (h ^ (h >>> 32));
    }

    /** Prometheus's text form: {@code {a="b", c="d"}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(kv[i]).append("=\"");
            escape(kv[i + 1], sb);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    static void escape(String v, StringBuilder sb) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }
}
