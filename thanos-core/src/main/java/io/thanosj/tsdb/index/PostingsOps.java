package io.thanosj.tsdb.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Set algebra over {@link Postings}: intersection (two lists in a block-wise merge or gallop, see
 * {@link Intersect2}, more by leapfrogging with galloping seeks), union (two lists in a
 * block-wise merge, see {@link Union2}, more through a primitive heap with duplicates removed) and difference, plus array-backed constructors.
 * {@link #EMPTY} lets the combinators stop early.
 */
public final class PostingsOps {
    /** The empty postings list; intersecting with it yields it again. */
    public static final Postings EMPTY = new Postings() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public boolean seek(long v) {
            return false;
        }

        @Override
        public long at() {
            throw new IllegalStateException("empty postings");
        }

        @Override
        public long cost() {
            return 0;
        }
    };

    private PostingsOps() {}

    /** Postings over a sorted, duplicate-free array (not copied). */
    public static Postings of(long... sorted) {
        return sorted.length == 0 ? EMPTY : new ArrayPostings(sorted, 0, sorted.length);
    }

    public static Postings of(long[] sorted, int from, int to) {
        return from >= to ? EMPTY : new ArrayPostings(sorted, from, to);
    }

    /** Drains postings into an array. */
    public static long[] toArray(Postings p) {
        long[] out = new long[16];
        int n = 0;
        while (p.next()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = p.at();
        }
        return Arrays.copyOf(out, n);
    }

    /** References present in every list. */
    public static Postings intersect(List<Postings> its) {
        if (its.isEmpty()) {
            return EMPTY;
        }
        for (Postings p : its) {
            if (p == EMPTY) {
                return EMPTY;
            }
        }
        if (its.size() == 1) {
            return its.get(0);
        }
        Postings[] arr = its.toArray(new Postings[0]);
        // Cheapest first: its values lead the leapfrog and the others gallop behind.
        Arrays.sort(arr, (x, y) -> Long.compare(x.cost(), y.cost()));
        if (arr[0] instanceof ListPostings x && arr[1] instanceof ListPostings y) {
            // The two shortest lists intersect in a tight loop; the rest follow it.
            Postings pair = new Intersect2(x, y);
            if (arr.length == 2) {
                return pair;
            }
            arr = Arrays.copyOfRange(arr, 1, arr.length);
            arr[0] = pair;
        }
        return new Intersect(arr);
    }

    public static Postings intersect(Postings... its) {
        return intersect(Arrays.asList(its));
    }

    /** References present in any list, each once. */
    public static Postings merge(List<Postings> its) {
        List<Postings> live = new ArrayList<>(its.size());
        for (Postings p : its) {
            if (p != EMPTY) {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return EMPTY;
        }
        if (live.size() == 1) {
            return live.get(0);
        }
        if (live.size() == 2 && live.get(0) instanceof ListPostings x && live.get(1) instanceof ListPostings y) {
            return new Union2(x, y);
        }
        return new Merge(live.toArray(new Postings[0]));
    }

    public static Postings merge(Postings... its) {
        return merge(Arrays.asList(its));
    }

    /** References of {@code full} that are not in {@code drop}. */
    public static Postings without(Postings full, Postings drop) {
        if (full == EMPTY || drop == EMPTY) {
            return full;
        }
        return new Without(full, drop);
    }

    private static final class Intersect implements Postings {
        private final Postings[] its;
        private long cur;

        Intersect(Postings[] its) {
            this.its = its;
        }

        @Override
        public boolean next() {
            if (!its[0].next()) {
                return false;
            }
            return align(its[0].at());
        }

        @Override
        public boolean seek(long v) {
            if (!its[0].seek(v)) {
                return false;
            }
            return align(its[0].at());
        }

        /** Seeks every list to a common value, starting from candidate {@code target}. */
        private boolean align(long target) {
            int agreed = 1;
            int k = 1;
            final int n = its.length;
            while (agreed < n) {
                Postings p = its[k];
                if (!p.seek(target)) {
                    return false;
                }
                long at = p.at();
                if (at == target) {
                    agreed++;
                } else {
                    target = at;
                    agreed = 1;
                }
                k = k + 1 == n ? 0 : k + 1;
            }
            cur = target;
            return true;
        }

        @Override
        public long at() {
            return cur;
        }

        @Override
        public long cost() {
            return its[0].cost();
        }
    }

    /** K-way union over a binary min-heap of cursors keyed by their current value. */
    private static final class Merge implements Postings {
        private final Postings[] heap;
        private int size;
        private boolean started;
        private long cur = -1;

        Merge(Postings[] its) {
            this.heap = its;
        }

        private void init(long seekTo, boolean seek) {
            size = 0;
            for (Postings p : heap.clone()) {
                if (seek ? p.seek(seekTo) : p.next()) {
                    heap[size++] = p;
                }
            }
            for (int i = (size >>> 1) - 1; i >= 0; i--) {
                down(i);
            }
            started = true;
        }

        private void down(int i) {
            Postings x = heap[i];
            long xv = x.at();
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int r = l + 1;
                int c = r < size && heap[r].at() < heap[l].at() ? r : l;
                if (heap[c].at() >= xv) {
                    break;
                }
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = x;
        }

        /** Moves the top cursor past {@code v} (by next or seek) and restores the heap. */
        private void advanceTop(long v, boolean seek) {
            Postings top = heap[0];
            boolean ok = seek ? top.seek(v) : top.next();
            if (ok) {
                down(0);
            } else {
                heap[0] = heap[--size];
                heap[size] = top; // keep the reference so nothing is lost if init runs again
                if (size > 0) {
                    down(0);
                }
            }
        }

        @Override
        public boolean next() {
            if (!started) {
                init(0, false);
            } else {
                while (size > 0 && heap[0].at() <= cur) {
                    advanceTop(cur + 1, false);
                }
            }
            if (size == 0) {
                return false;
            }
            cur = heap[0].at();
            return true;
        }

        @Override
        public boolean seek(long v) {
            if (!started) {
                init(v, true);
            } else {
                if (size > 0 && cur >= v && heap[0].at() >= cur) {
                    return true;
                }
                while (size > 0 && heap[0].at() < v) {
                    advanceTop(v, true);
                }
            }
            if (size == 0) {
                return false;
            }
            cur = heap[0].at();
            return true;
        }

        @Override
        public long at() {
            return cur;
        }
    }

    private static final class Without implements Postings {
        private final Postings full;
        private final Postings drop;
        private boolean dropLive = true;
        private boolean dropStarted;

        Without(Postings full, Postings drop) {
            this.full = full;
            this.drop = drop;
        }

        private boolean skipDropped() {
            while (true) {
                long v = full.at();
                if (dropLive) {
                    if (!dropStarted || drop.at() < v) {
                        dropStarted = true;
                        dropLive = drop.seek(v);
                    }
                    if (dropLive && drop.at() == v) {
                        if (!full.next()) {
                            return false;
                        }
                        continue;
                    }
                }
                return true;
            }
        }

        @Override
        public boolean next() {
            return full.next() && skipDropped();
        }

        @Override
        public boolean seek(long v) {
            return full.seek(v) && skipDropped();
        }

        @Override
        public long at() {
            return full.at();
        }

        @Override
        public long cost() {
            return full.cost();
        }
    }
}
