package io.thanosj.tsdb.index;

/**
 * The intersection of two {@link ListPostings}, produced in blocks of up to {@link #BLOCK} entries so
 * it stays lazy (a caller that stops or seeks early does not pay for the rest of the longer list)
 * while the inner loops work on the lists directly. Three strategies:
 * <ul>
 * <li>one list much shorter: each of its entries gallops through the longer one;
 * <li>similar lengths and a dense shorter list (at least one entry per 64 values of its range): the
 * shorter list becomes a bitmap, built once, and the longer one is streamed through it. Every probe
 * is independent of the previous one, so the loop runs at memory speed instead of waiting on a chain
 * of comparisons; the bitmap costs at most 8 bytes per entry of the shorter list;
 * <li>otherwise a merge without data-dependent branches (both cursors advance by comparison results).
 * </ul> The lists' own cursors are read once, when iteration starts,
 * and are not moved.
 */
final class Intersect2 implements Postings {
    static final int BLOCK = 256;
    /** Above this length ratio galloping beats merging: a merge step costs about as much as a probe. */
    private static final int GALLOP_RATIO = 16;

    private static final int MERGE = 0;
    private static final int GALLOP = 1;
    private static final int BITMAP = 2;

    private final ListPostings a;   // the shorter list
    private final ListPostings b;
    private int mode;
    private long[] bitmap;          // BITMAP: bit (v - lo) set for each entry v of a
    private long lo;
    private long hi;
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
        this.mode = b.cost() / GALLOP_RATIO > a.cost() ? GALLOP : MERGE;
    }

    private void start() {
        // Continue from wherever the lists' own cursors are (fresh lists start at their first entry).
        i = Math.max(a.i, 0);
        j = Math.max(b.i, 0);
        started = true;
        final int na = a.n - i;
        if (mode == MERGE && na >= BLOCK) {
            final long span = a.get(a.n - 1) - a.get(i);
            if ((span >>> 6) < na) {
                buildBitmap();
            }
        }
    }

    private void buildBitmap() {
        final ListPostings x = a;
        final int nx = x.n;
        final long first = x.get(i);
        final long[] words = new long[(int) ((x.get(nx - 1) - first) >>> 6) + 1];
        // Entries are sorted: collect each word's bits in a register, store once per word.
        int cur = 0;
        long acc = 0;
        for (int p = i; p < nx; p++) {
            final long d = x.get(p) - first;
            final int wi = (int) (d >>> 6);
            if (wi != cur) {
                words[cur] = acc;
                cur = wi;
                acc = 0;
            }
            acc |= 1L << d;
        }
        words[cur] = acc;
        bitmap = words;
        lo = first;
        hi = x.get(nx - 1);
        mode = BITMAP;
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
        final int at = PostingsBlocks.seek(out, k, len, v);
        if (at >= 0) {
            k = at;
            return true;
        }
        if (mode != BITMAP) {
            i = a.search(i, v);
        }
        j = b.search(j, v);
        return fill();
    }

    /** Computes the next block; false (and exhausted) when there is none. */
    private boolean fill() {
        len = switch (mode) {
            case GALLOP -> gallop();
            case BITMAP -> probe();
            default -> merge();
        };
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

    private int probe() {
        final ListPostings y = b;
        final long[] words = bitmap;
        final long[] o = out;
        final long base = lo;
        final long last = hi;
        final int ny = y.n;
        int q = j;
        if (q < ny && y.get(q) < base) {
            q = y.search(q, base);
        }
        int w = 0;
        while (q < ny && w < BLOCK) {
            final long v = y.get(q);
            if (v > last) {
                q = ny;
                break;
            }
            final long d = v - base;
            o[w] = v;
            w += (int) (words[(int) (d >>> 6)] >>> d) & 1;
            q++;
        }
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
        return mode == BITMAP ? Math.min(a.n, (long) b.n - j) : (long) a.n - i + Math.max(0, len - Math.max(k, 0));
    }
}
