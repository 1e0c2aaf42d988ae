package io.thanosj.store.bucket;

import io.thanosj.tsdb.block.BlockMeta;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drops blocks from a fetched view (Thanos's {@code MetadataFilter}). Filters run in order after
 * every fetch; each removal is reported with its {@code thanos_blocks_meta_synced} state. See
 * {@link MetaFilters} for the implementations.
 */
public interface MetaFilter {
    /**
     * Removes the blocks this filter rejects from {@code metas} (ULID to meta; the map is the
     * filter's to change) and reports each with {@code excluded.accept(state)}.
     */
    void filter(Map<String, BlockMeta> metas, Consumer<String> excluded);
}
