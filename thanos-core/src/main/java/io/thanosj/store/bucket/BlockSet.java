package io.thanosj.store.bucket;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The blocks sharing one external label set, by downsampling resolution (Thanos's
 * {@code bucketBlockSet}). Not thread-safe: the store guards it.
 */
final class BlockSet {
    /** Known resolutions, coarsest first: 1h, 5m, raw. */
    static final long[] RESOLUTIONS = {3_600_000L, 300_000L, 0L};
    private static final Comparator<BucketBlock> BY_TIME = Comparator.<BucketBlock>comparingLong(b -> b.meta.minTime())
            .thenComparingLong(b -> b.meta.maxTime());

    final Labels labels;
    private final List<List<BucketBlock>> blocks = new ArrayList<>();

    BlockSet(Labels labels) {
        this.labels = labels;
        for (int i = 0; i < RESOLUTIONS.length; i++) {
            blocks.add(new ArrayList<>());
        }
    }

    static int resolutionIndex(long res) {
        for (int i = 0; i < RESOLUTIONS.length; i++) {
            if (RESOLUTIONS[i] == res) {
                return i;
            }
        }
        return -1;
    }

    void add(BucketBlock b) {
        List<BucketBlock> l = blocks.get(resolutionIndex(b.resolution()));
        l.add(b);
        l.sort(BY_TIME);
    }

    void remove(BucketBlock b) {
        for (List<BucketBlock> l : blocks) {
            l.remove(b);
        }
    }

    boolean isEmpty() {
        for (List<BucketBlock> l : blocks) {
            if (!l.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    List<BucketBlock> all() {
        List<BucketBlock> out = new ArrayList<>();
        blocks.forEach(out::addAll);
        return out;
    }

    /**
     * Blocks covering {@code [mint, maxt]} at the coarsest resolution not above
     * {@code maxResolution}, with gaps that resolution leaves filled recursively by finer ones
     * (Thanos's {@code getFor}). Overlapping blocks are all returned.
     */
    List<BucketBlock> getFor(long mint, long maxt, long maxResolution) {
        List<BucketBlock> out = new ArrayList<>();
        if (mint > maxt) {
            return out;
        }
        int i = 0;
        while (i < RESOLUTIONS.length && RESOLUTIONS[i] > maxResolution) {
            i++;
        }
        if (i == RESOLUTIONS.length) {
            i = RESOLUTIONS.length - 1;
        }
        fill(out, mint, maxt, i);
        return out;
    }

    private void fill(List<BucketBlock> out, long mint, long maxt, int i) {
        if (mint > maxt) {
            return;
        }
        long start = mint;
        for (BucketBlock b : blocks.get(i)) {
            if (b.meta.maxTime() <= mint) {
                continue;
            }
            if (b.meta.minTime() > maxt) {
                break;
            }
            if (i + 1 < RESOLUTIONS.length) {
                fill(out, start, b.meta.minTime() - 1, i + 1);
            }
            out.add(b);
            start = Math.max(start, b.meta.maxTime());
        }
        if (i + 1 < RESOLUTIONS.length) {
            fill(out, start, maxt, i + 1);
        }
    }

    /**
     * The matchers left to apply inside this set's blocks: matchers on external labels are
     * decided here and dropped; null when one rejects this set's labels.
     */
    List<Matcher> blockMatchers(List<Matcher> ms) {
        List<Matcher> out = new ArrayList<>(ms.size());
        for (Matcher m : ms) {
            String v = labels.get(m.name());
            if (v.isEmpty()) {
                out.add(m);
            } else if (!m.matches(v)) {
                return null;
            }
        }
        return out;
    }
}
