package io.thanosj.promql.storage;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.Utf8Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A {@link Queryable} over series held in primitive arrays, for tests and benchmarks. Appends in
 * timestamp order are amortised O(1); an older timestamp is inserted in place and an equal one
 * replaces the sample. Not thread-safe for writes; reads may run concurrently once loading is done.
 */
public final class InMemoryStorage implements Queryable {
    private final Map<Labels, MemSeries> series = new HashMap<>();
    private MemSeries last;
    private final Map<String, List<MemSeries>> byName = new HashMap<>();
    private boolean sorted = true;

    /** Adds one sample; the value's bits are kept as they are, so staleness markers survive. */
    public void append(Labels labels, long t, double v) {
        MemSeries s = last != null && last.labels.equals(labels) ? last : series.get(labels);
        if (s == null) {
            s = new MemSeries(labels);
            series.put(labels, s);
            byName.computeIfAbsent(labels.get(Labels.METRIC_NAME), k -> new ArrayList<>()).add(s);
            sorted = false;
        }
        s.append(t, v);
        last = s;
    }

    /** Removes all series. */
    public void clear() {
        series.clear();
        last = null;
        byName.clear();
    }

    public int seriesCount() {
        return series.size();
    }

    @Override
    public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
        ensureSorted();
        List<MemSeries> out = new ArrayList<>();
        for (MemSeries s : candidates(matchers)) {
            if (matchesAll(s.labels, matchers) && s.overlaps(hints.start(), hints.end())) {
                out.add(s);
            }
        }
        if (!byNameLookup(matchers)) {
            out.sort((a, b) -> a.labels.compareTo(b.labels));
        }
        return new ListSeriesSet(out, hints.end());
    }

    /** Sorts each per-name list once after loading, so selects by name need no sort. */
    private synchronized void ensureSorted() {
        if (!sorted) {
            for (List<MemSeries> l : byName.values()) {
                l.sort((a, b) -> a.labels.compareTo(b.labels));
            }
            sorted = true;
        }
    }

    private static boolean byNameLookup(List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME) && m.type() == io.thanosj.model.MatchType.EQUAL) {
                return true;
            }
        }
        return false;
    }

    private Iterable<MemSeries> candidates(List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME) && m.type() == io.thanosj.model.MatchType.EQUAL) {
                return byName.getOrDefault(m.value(), List.of());
            }
        }
        return series.values();
    }


    private static boolean matchesAll(Labels l, List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
        TreeSet<String> names = new TreeSet<>(Utf8Order::compare);
        for (MemSeries s : candidates(matchers)) {
            if (matchesAll(s.labels, matchers) && s.overlaps(mint, maxt)) {
                for (int i = 0; i < s.labels.size(); i++) {
                    names.add(s.labels.name(i));
                }
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
        TreeSet<String> values = new TreeSet<>(Utf8Order::compare);
        for (MemSeries s : candidates(matchers)) {
            if (matchesAll(s.labels, matchers) && s.overlaps(mint, maxt)) {
                String v = s.labels.get(name);
                if (!v.isEmpty()) {
                    values.add(v);
                }
            }
        }
        return new ArrayList<>(values);
    }

    private static final class MemSeries {
        final Labels labels;
        long[] ts = new long[16];
        double[] vs = new double[16];
        int n;

        MemSeries(Labels labels) {
            this.labels = labels;
        }

        void append(long t, double v) {
            if (n > 0 && t <= ts[n - 1]) {
                int i = Arrays.binarySearch(ts, 0, n, t);
                if (i >= 0) {
                    vs[i] = v;
                    return;
                }
                insertAt(-i - 1, t, v);
                return;
            }
            insertAt(n, t, v);
        }

        private void insertAt(int at, long t, double v) {
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
            }
            System.arraycopy(ts, at, ts, at + 1, n - at);
            System.arraycopy(vs, at, vs, at + 1, n - at);
            ts[at] = t;
            vs[at] = v;
            n++;
        }

        boolean overlaps(long mint, long maxt) {
            return n > 0 && ts[0] <= maxt && ts[n - 1] >= mint;
        }
    }

    private static final class ListSeriesSet implements SeriesSet {
        private final Iterator<MemSeries> it;
        private final long maxt;
        private MemSeries cur;

        ListSeriesSet(List<MemSeries> list, long maxt) {
            this.it = list.iterator();
            this.maxt = maxt;
        }

        @Override
        public boolean next() {
            if (!it.hasNext()) {
                cur = null;
                return false;
            }
            cur = it.next();
            return true;
        }

        @Override
        public Labels labels() {
            return current().labels;
        }

        @Override
        public SampleIterator iterator() {
            MemSeries c = current();
            return new ArrayIterator(c.ts, c.vs, c.n, maxt);
        }

        private MemSeries current() {
            if (cur == null) {
                throw new IllegalStateException("no current series: call next() first");
            }
            return cur;
        }
    }

    /** Cursor over the samples of one series up to {@code maxt}; callers seek to their start. */
    private static final class ArrayIterator implements SampleIterator {
        private final long[] ts;
        private final double[] vs;
        private final int end;
        private final long maxt;
        private int i = -1;

        ArrayIterator(long[] ts, double[] vs, int n, long maxt) {
            this.ts = ts;
            this.vs = vs;
            this.end = n;
            this.maxt = maxt;
        }

        @Override
        public boolean next() {
            if (i + 1 >= end || ts[i + 1] > maxt) {
                i = end;
                return false;
            }
            i++;
            return true;
        }

        @Override
        public boolean seek(long t) {
            if (i < 0) {
                i = 0;
            }
            if (i >= end) {
                return false;
            }
            if (ts[i] < t) {
                int j = Arrays.binarySearch(ts, i, end, t);
                i = j < 0 ? -j - 1 : j;
            }
            if (i >= end || ts[i] > maxt) {
                i = end;
                return false;
            }
            return true;
        }

        @Override
        public long t() {
            return ts[i];
        }

        @Override
        public double v() {
            return vs[i];
        }
    }
}
