package io.thanosj.tsdb.index;

/**
 * The union of two {@link ListPostings}, each value once, produced in blocks of up to
 * {@link #BLOCK} entries by a merge without data-dependent branches: every step emits the smaller
 * head and advances whichever lists held it. Lazy and seekable like {@link Intersect2}; the lists'
 * own cursors are read once, when iteration starts, and are not moved.
 */
final class Union2 implements Postings {
    static final int BLOCK = 256;

    private final ListPostings a;
    private final ListPostings b;
    private final long[] out = new long[BLOCK];
    private int len;
    private int k = -1;
    private int i;
    private int j;
    private boolean started;

    Union2(ListPostings a, ListPostings b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public boolean next() {
        if (!started) {
            i = Math.max(a.i, 0);
            j = Math.max(b.i, 0);
            started = true;
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
            i = Math.max(a.i, 0);
            j = Math.max(b.i, 0);
            started = true;
        }
        final int at = PostingsBlocks.seek(out, k, len, v);
        if (at >= 0) {
            k = at;
            return true;
        }
        i = a.search(i, v);
        j = b.search(j, v);
        return fill();
    }

    private boolean fill() {
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
            // Entries are below 2^32, so the differences cannot overflow; (d - 1) >>> 63 is 1 when d <= 0.
            final int takeU = (int) ((u - v - 1) >>> 63);
            final int takeV = (int) ((v - u - 1) >>> 63);
            o[w++] = Math.min(u, v);
            p += takeU;
            q += takeV;
        }
        while (p < nx && w < BLOCK) {
            o[w++] = x.get(p++);
        }
        while (q < ny && w < BLOCK) {
            o[w++] = y.get(q++);
        }
        i = p;
        j = q;
        len = w;
        k = 0;
        return w > 0;
    }

    @Override
    public long at() {
        return out[k];
    }

    @Override
    public long cost() {
        return (long) a.n - i + b.n - j + Math.max(0, len - Math.max(k, 0));
    }
}
