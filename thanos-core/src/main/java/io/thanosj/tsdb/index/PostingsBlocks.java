package io.thanosj.tsdb.index;

/** What the block-producing postings ({@link Intersect2}, {@link Union2}) share: a seek within the block already computed. */
final class PostingsBlocks {
    private PostingsBlocks() {}

    /**
     * The index of the first entry {@code >= v} among {@code out[k..len)}, where {@code k} is the
     * current entry (-1 before the first); -1 when the block has no such entry and the caller must
     * compute further blocks.
     */
    static int seek(long[] out, int k, int len, long v) {
        if (k < 0 || k >= len || out[len - 1] < v) {
            return -1;
        }
        if (out[k] >= v) {
            return k;
        }
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
        return hi;
    }
}
