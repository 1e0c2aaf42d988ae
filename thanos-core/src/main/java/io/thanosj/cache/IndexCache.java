package io.thanosj.cache;

import java.util.List;
import java.util.Objects;

/**
 * Thanos's index cache: postings lists keyed by block and label pair, and series entries keyed
 * by block and series offset, so that repeated queries skip object storage range reads. Values
 * are opaque bytes to the cache; the bucket store decides their encoding. Fetches return arrays
 * aligned with the keys, {@code null} for a miss. Implementations are thread-safe and never throw
 * for backend failures.
 */
public interface IndexCache {
    /** Item types as named by {@code enabled_items} and the {@code item_type} metric label. */
    String POSTINGS = "Postings";
    String SERIES = "Series";
    String EXPANDED_POSTINGS = "ExpandedPostings";

    /** A cache that holds nothing. */
    IndexCache NOOP = new IndexCache() {
        @Override
        public void storePostings(String blockId, PostingsKey key, byte[] value) {}

        @Override
        public byte[][] fetchPostings(String blockId, List<PostingsKey> keys) {
            return new byte[keys.size()][];
        }

        @Override
        public void storeSeries(String blockId, long offset, byte[] value) {}

        @Override
        public byte[][] fetchSeries(String blockId, long[] offsets, int from, int to) {
            return new byte[to - from][];
        }
    };

    /** A label pair whose postings list is cached. */
    record PostingsKey(String name, String value) {
        public PostingsKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    void storePostings(String blockId, PostingsKey key, byte[] value);

    byte[][] fetchPostings(String blockId, List<PostingsKey> keys);

    /** Stores the series entry at byte {@code offset} of the block's index. */
    void storeSeries(String blockId, long offset, byte[] value);

    /**
     * Stores {@code values[i]} as the series entry at {@code offsets[i]}, for {@code i < n}: the
     * entries of one range read in one call.
     */
    default void storeSeries(String blockId, long[] offsets, byte[][] values, int n) {
        for (int i = 0; i < n; i++) {
            storeSeries(blockId, offsets[i], values[i]);
        }
    }

    /** Entries for {@code offsets[from..to)}. */
    byte[][] fetchSeries(String blockId, long[] offsets, int from, int to);
}
