package io.thanosj.tsdb.index;

/**
 * The intersection of two {@link ListPostings}, produced in blocks of up to {@link #BLOCK} entries so
 * it stays lazy (a caller that stops or seeks early does not pay for the rest) while the inner loop
 * works on the lists directly. Lists of similar length are merged without data-dependent branches
 * (both cursors advance by comparison results); when one is much shorter, each of its entries
 * gallops through the longer one. The lists' own cursors are read once, when iteration starts,
 * and are not moved.
 */
final class Intersect2 implements Postings {
    static final int BLOCK = 256;
    /** Above this length ratio galloping beats merging: a merge step costs about as much as a probe. */
    private static final int GALLOP_RATIO = 16;

    private final ListPostings a;   // the shorter list
    private final ListPostings b;
    private final boolean gallop;
    private final long[] out = new long[BLOCK];
    private int len;
    private int k = -1;             // current entry of out; -1 before the first
    private int i;                  // next entry of a to look at
    private int j;                  // next entry of b to look at
    private boolean started;

    Intersect2(ListPostings x, ListPostings y) {
        final boolean xShorter = x.cost() <= y.cost();
        this.a = xShorter ? x : y;
        this.b = xShorter ? y : x;
        this.gallop = b.cost() / GALLOP_RATIO > a.cost();
    }

    private void start() {
        // Continue from wherever the lists' own cursors are (fresh lists start at their first entry).
        i = Math.max(a.i, 0);
        j = Math.max(b.i, 0);
        started = true;
    }

    @Override
    public boolean next() {
        if (!started) {
            start();
        }
        if (k + 1 < len) {
            k++;
            return true;
        }
        return fill();
    }

    @Override
    public boolean seek(long v) {
        if (!started) {
            start();
        }
        if (k >= 0 && k < len) {
            if (out[k] >= v) {
                return true;
            }
            if (out[len - 1] >= v) {
                int lo = k;
                int hi = len - 1;
                while (lo + 1 < hi) {
                    final int mid = (lo + hi) >>> 1;
                    if (out[mid] < v) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                k = hi;
                return true;
            }
        }
        i = a.search(i, v);
        j = b.search(j, v);
        return fill();
    }

    /** Computes the next block; false (and exhausted) when there is none. */
    private boolean fill() {
        len = gallop ? gallop() : merge();
        if (len == 0) {
            k = 0;
            return false;
        }
        k = 0;
        return true;
    }

    private int merge() {
        final ListPostings x = a;
        final ListPostings y = b;
        final long[] o = out;
        final int nx = x.n;
        final int ny = y.n;
        int p = i;
        int q = j;
        int w = 0;
        while (p < nx && q < ny && w < BLOCK) {
            final long u = x.get(p);
            final long v = y.get(q);
            // Entries are below 2^32, so these differences cannot overflow: each (d - 1) >>> 63 is
            // 1 exactly when d <= 0, keeping the loop free of branches the data would mispredict.
            o[w] = u;
            w += (int) (((u ^ v) - 1) >>> 63);
            p += (int) ((u - v - 1) >>> 63);
            q += (int) ((v - u - 1) >>> 63);
        }
        i = p;
        j = q;
        return w;
    }

    private int gallop() {
        final ListPostings x = a;
        final ListPostings y = b;
        final long[] o = out;
        final int nx = x.n;
        final int ny = y.n;
        int p = i;
        int q = j;
        int w = 0;
        while (p < nx && w < BLOCK) {
            final long u = x.get(p);
            q = y.search(q, u);
            if (q >= ny) {
                p = nx;
                break;
            }
            final long v = y.get(q);
            if (v == u) {
                o[w++] = u;
                p++;
                q++;
            } else {
                p = x.search(p + 1, v);
            }
        }
        i = p;
        j = q;
        return w;
    }

    @Override
    public long at() {
        return out[k];
    }

    @Override
    public long cost() {
        return (long) a.n - i + Math.max(0, len - Math.max(k, 0));
    }
}
