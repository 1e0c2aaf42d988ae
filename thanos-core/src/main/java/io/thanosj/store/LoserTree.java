package io.thanosj.store;

/**
 * A tournament tree of losers over k sources for k-way merging: finding the next minimum after
 * the winner advanced costs log2(k) comparisons along one leaf-to-root path, half of what a binary
 * heap needs (Knuth, TAOCP vol. 3, 5.4.1; Thanos's pkg/losertree). Leaves are implicit at positions
 * k..2k-1, internal node n holds the loser of the match played there, {@code tree[0]} the winner.
 * The caller supplies the order of sources by their current element (exhausted sources sort last).
 */
final class LoserTree {
    /** Strict order of sources by their current element. */
    interface Order {
        boolean less(int a, int b);
    }

    private final int k;
    private final int[] tree;
    private final Order order;

    LoserTree(int k, Order order) {
        if (k < 1) {
            throw new IllegalArgumentException("a loser tree needs at least one source, got " + k);
        }
        this.k = k;
        this.order = order;
        this.tree = new int[k];
        tree[0] = k == 1 ? 0 : build(1);
    }

    private int build(int node) {
        if (node >= k) {
            return node - k;
        }
        int l = build(node << 1);
        int r = build((node << 1) + 1);
        if (order.less(r, l)) {
            tree[node] = l;
            return r;
        }
        tree[node] = r;
        return l;
    }

    /** Source holding the smallest element. */
    int winner() {
        return tree[0];
    }

    /** Re-plays the winner's path after it advanced. */
    void replay() {
        int w = tree[0];
        for (int n = (w + k) >> 1; n >= 1; n >>= 1) {
            int l = tree[n];
            if (order.less(l, w)) {
                tree[n] = w;
                w = l;
            }
        }
        tree[0] = w;
    }
}
