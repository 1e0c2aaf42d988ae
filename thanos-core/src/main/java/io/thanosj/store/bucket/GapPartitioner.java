package io.thanosj.store.bucket;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges byte ranges separated by small gaps into one read (Thanos's {@code gapBasedPartitioner}):
 * object stores charge per request and serve a few hundred extra kilobytes in about the time of one
 * request, so reading the gap beats a second round trip. Ranges must be sorted by start; they may
 * overlap.
 */
final class GapPartitioner {
    /** Thanos's default maximum gap: 512KiB. */
    static final long DEFAULT_MAX_GAP = 512 * 1024;

    /** The ranges to partition, {@code [start(i), end(i))}, by index. */
    interface Ranges {
        long start(int i);

        long end(int i);
    }

    /** One read {@code [start, end)} covering ranges {@code [from, to)} of the input. */
    record Part(long start, long end, int from, int to) {
        long length() {
            return end - start;
        }
    }

    private final long maxGap;

    GapPartitioner(long maxGap) {
        if (maxGap < 0) {
            throw new IllegalArgumentException("max gap must not be negative: " + maxGap);
        }
        this.maxGap = maxGap;
    }

    List<Part> partition(int n, Ranges r) {
        List<Part> parts = new ArrayList<>();
        int k = 0;
        while (k < n) {
            int j = k;
            long start = r.start(k);
            long end = r.end(k);
            for (k++; k < n; k++) {
                long s = r.start(k);
                if (end + maxGap < s) {
                    break;
                }
                end = Math.max(end, r.end(k));
            }
            parts.add(new Part(start, end, j, k));
        }
        return parts;
    }
}
