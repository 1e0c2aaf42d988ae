package io.thanosj.cache;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the store gateway's index cache from Thanos's {@code --index-cache.config}:
 * <pre>
 * type: IN-MEMORY | MEMCACHED | REDIS
 * config: { backend fields }
 * enabled_items: [Postings, Series]   # optional, all by default
 * ttl: 24h                            # remote backends only
 * </pre>
 * or, without a config, an in-memory cache of {@code --index-cache-size} bytes.
 */
public final class IndexCaches {
    static final String WHAT = "index cache config";
    private static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private IndexCaches() {}

    /** Thanos's default: in memory, bounded by {@code maxSizeBytes} (items up to 125MiB or the whole size). */
    public static IndexCache inMemory(long maxSizeBytes, MeterRegistry registry) {
        return new InMemoryIndexCache(maxSizeBytes, Math.min(maxSizeBytes, Caches.DEFAULT_MAX_ITEM_SIZE), Set.of(), registry);
    }

    /** Parses the YAML and creates the backend; throws {@code BAD_DATA} naming the field on bad config. */
    public static IndexCache fromYaml(String yaml, MeterRegistry registry) {
        return create(yaml, registry).index;
    }

    /** The index cache and the backend it owns, which the caller closes at shutdown. */
    public record Created(IndexCache index, AutoCloseable backend) {}

    public static Created create(String yaml, MeterRegistry registry) {
        YamlMap top = YamlMap.parse(WHAT, yaml);
        top.allowOnly("type", "config", "enabled_items", "ttl");
        Set<String> items = new LinkedHashSet<>();
        List<String> enabled = top.strings("enabled_items");
        for (String i : enabled) {
            if (!i.equals(IndexCache.POSTINGS) && !i.equals(IndexCache.SERIES) && !i.equals(IndexCache.EXPANDED_POSTINGS)) {
                throw top.bad("enabled_items", "unsupported item type " + i + " (supported: Postings, Series, ExpandedPostings)");
            }
            items.add(i);
        }
        Duration ttl = top.duration("ttl", Duration.ZERO);
        if (ttl.isZero()) {
            ttl = DEFAULT_TTL;
        }
        String type = top.string("type", "");
        if (type.equalsIgnoreCase("IN-MEMORY")) {
            YamlMap cfg = top.map("config");
            // validity is accepted, and ignored, as by the generic in-memory cache.
            cfg.allowOnly("max_size", "max_item_size", "validity");
            long max = cfg.bytes("max_size", Caches.DEFAULT_MAX_SIZE);
            long item = cfg.bytes("max_item_size", Caches.DEFAULT_MAX_ITEM_SIZE);
            if (item > max) {
                throw cfg.bad("max_item_size", "max item size (" + item + ") cannot be bigger than overall cache size (" + max + ")");
            }
            return new Created(new InMemoryIndexCache(max, item, items, registry), () -> {});
        }
        Cache backend = Caches.create(WHAT, type, top.map("config"), "index-cache", registry);
        return new Created(new BackedIndexCache(backend, ttl, items, registry), backend);
    }
}
