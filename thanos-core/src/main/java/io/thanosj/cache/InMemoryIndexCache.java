package io.thanosj.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ThanosException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory index cache (Thanos's {@code InMemoryIndexCache}): postings lists and series
 * entries in one LRU bounded by bytes, as Thanos's. A cold Series call stores thousands of series
 * entries at once; a concurrent cache that does its bookkeeping per write (Caffeine, before) spent
 * 3-5 us on each, more than reading and checking the entries, so batches are stored and fetched
 * under one lock hold here. Keys are small records rather than strings: building, hashing and
 * comparing a 40-character key string for each entry made the lookups cost more than decoding
 * the entries. Values
 * are stored and returned as they are, never copied. Metrics carry Thanos's names for this cache
 * ({@code thanos_store_index_cache_*} by {@code item_type}). Thread-safe.
 */
final class InMemoryIndexCache implements IndexCache {
    /** Object headers, the key record and the map node: what an entry costs beyond its bytes. */
    static final int ENTRY_OVERHEAD = 112;

    private record SeriesEntry(String block, long offset) {}

    private record PostingsEntry(String block, String name, String value) {}

    /** Per item type: counters and the gauges' state. */
    private static final class TypeMetrics {
        final Counter requests;
        final Counter hits;
        final Counter added;
        final Counter evicted;
        final Counter overflowed;
        final AtomicLong items = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong totalBytes = new AtomicLong();

        TypeMetrics(MeterRegistry r, String type) {
            requests = BackedIndexCache.requests(r, type);
            hits = BackedIndexCache.hits(r, type);
            added = Counter.builder("thanos.store.index.cache.items.added").tag("item_type", type)
                    .description("Total number of items that were added to the index cache.").register(r);
            evicted = Counter.builder("thanos.store.index.cache.items.evicted").tag("item_type", type)
                    .description("Total number of items that were evicted from the index cache.").register(r);
            overflowed = Counter.builder("thanos.store.index.cache.items.overflowed").tag("item_type", type)
                    .description("Total number of items that could not be added to the cache due to being too big.").register(r);
            Gauge.builder("thanos.store.index.cache.items", items, AtomicLong::get).tag("item_type", type)
                    .description("Current number of items in the index cache.").register(r);
            Gauge.builder("thanos.store.index.cache.items.size.bytes", bytes, AtomicLong::get).tag("item_type", type)
                    .description("Current byte size of items in the index cache.").register(r);
            Gauge.builder("thanos.store.index.cache.total.size.bytes", totalBytes, AtomicLong::get).tag("item_type", type)
                    .description("Current byte size of items (both value and key) in the index cache.").register(r);
        }

        void add(int valueBytes, int weight) {
            items.incrementAndGet();
            bytes.addAndGet(valueBytes);
            totalBytes.addAndGet(weight);
        }

        void remove(int valueBytes, int weight) {
            items.decrementAndGet();
            bytes.addAndGet(-valueBytes);
            totalBytes.addAndGet(-weight);
        }
    }

    private final long maxItemBytes;
    private final boolean postings;
    private final boolean series;
    private final long maxSizeBytes;
    /** Least recently used first; guarded by itself, as is {@link #weight}. */
    private final LinkedHashMap<Object, byte[]> lru = new LinkedHashMap<>(1024, 0.75f, true);
    private long weight;
    private final TypeMetrics postingsMetrics;
    private final TypeMetrics seriesMetrics;

    InMemoryIndexCache(long maxSizeBytes, long maxItemBytes, Set<String> enabledItems, MeterRegistry registry) {
        if (maxSizeBytes < 0 || maxItemBytes < 0) {
            throw new IllegalArgumentException("in-memory index cache sizes must not be negative");
        }
        if (maxItemBytes > maxSizeBytes) {
            throw ThanosException.badData("in-memory index cache: max item size (" + maxItemBytes
                    + ") cannot be bigger than overall cache size (" + maxSizeBytes + ")");
        }
        this.maxItemBytes = maxItemBytes;
        this.postings = enabledItems.isEmpty() || enabledItems.contains(POSTINGS);
        this.series = enabledItems.isEmpty() || enabledItems.contains(SERIES);
        this.postingsMetrics = new TypeMetrics(registry, POSTINGS);
        this.seriesMetrics = new TypeMetrics(registry, SERIES);
        BackedIndexCache.requests(registry, EXPANDED_POSTINGS);
        BackedIndexCache.hits(registry, EXPANDED_POSTINGS);
        Gauge.builder("thanos.store.index.cache.max.size.bytes", () -> maxSizeBytes)
                .description("Maximum number of bytes to be held in the index cache.").register(registry);
        Gauge.builder("thanos.store.index.cache.max.item.size.bytes", () -> maxItemBytes)
                .description("Maximum number of bytes for single entry to be held in the index cache.").register(registry);
        this.maxSizeBytes = maxSizeBytes;
    }

    private TypeMetrics metrics(Object key) {
        return key instanceof SeriesEntry ? seriesMetrics : postingsMetrics;
    }

    private static int weight(Object key, byte[] value) {
        long w = (long) value.length + ENTRY_OVERHEAD;
        if (key instanceof PostingsEntry p) {
            w += 2L * (p.name.length() + p.value.length());
        }
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    private void store(Object key, byte[] value, TypeMetrics m) {
        synchronized (lru) {
            if (put(key, value, m)) {
                m.added.increment();
            }
            evict();
        }
    }

    /** One entry; the caller holds the lock and evicts afterwards. False when the item is too big. */
    private boolean put(Object key, byte[] value, TypeMetrics m) {
        int w = weight(key, value);
        if (w - ENTRY_OVERHEAD > maxItemBytes) {
            m.overflowed.increment();
            return false;
        }
        byte[] old = lru.put(key, value);
        if (old != null) {
            removed(key, old);
        }
        m.add(value.length, w);
        weight += w;
        return true;
    }

    private void evict() {
        Iterator<Map.Entry<Object, byte[]>> it = null;
        while (weight > maxSizeBytes) {
            if (it == null) {
                it = lru.entrySet().iterator();
            }
            Map.Entry<Object, byte[]> e = it.next();
            it.remove();
            TypeMetrics m = removed(e.getKey(), e.getValue());
            m.evicted.increment();
        }
    }

    private TypeMetrics removed(Object key, byte[] value) {
        TypeMetrics m = metrics(key);
        int w = weight(key, value);
        m.remove(value.length, w);
        weight -= w;
        return m;
    }

    @Override
    public void storePostings(String blockId, PostingsKey key, byte[] value) {
        if (postings) {
            store(new PostingsEntry(blockId, key.name(), key.value()), value, postingsMetrics);
        }
    }

    @Override
    public byte[][] fetchPostings(String blockId, List<PostingsKey> keys) {
        byte[][] out = new byte[keys.size()][];
        if (!postings || keys.isEmpty()) {
            return out;
        }
        int hits = 0;
        Object[] ks = new Object[out.length];
        for (int i = 0; i < out.length; i++) {
            PostingsKey k = keys.get(i);
            ks[i] = new PostingsEntry(blockId, k.name(), k.value());
        }
        synchronized (lru) {
            for (int i = 0; i < out.length; i++) {
                out[i] = lru.get(ks[i]);
                hits += out[i] == null ? 0 : 1;
            }
        }
        postingsMetrics.requests.increment(out.length);
        postingsMetrics.hits.increment(hits);
        return out;
    }

    @Override
    public void storeSeries(String blockId, long offset, byte[] value) {
        if (series) {
            store(new SeriesEntry(blockId, offset), value, seriesMetrics);
        }
    }

    @Override
    public void storeSeries(String blockId, long[] offsets, byte[][] values, int n) {
        if (!series || n <= 0) {
            return;
        }
        SeriesEntry[] keys = new SeriesEntry[n];
        for (int i = 0; i < n; i++) {
            keys[i] = new SeriesEntry(blockId, offsets[i]);
        }
        int added = 0;
        synchronized (lru) {
            for (int i = 0; i < n; i++) {
                if (put(keys[i], values[i], seriesMetrics)) {
                    added++;
                }
            }
            evict();
        }
        seriesMetrics.added.increment(added);
    }

    @Override
    public byte[][] fetchSeries(String blockId, long[] offsets, int from, int to) {
        byte[][] out = new byte[Math.max(0, to - from)][];
        if (!series || to <= from) {
            return out;
        }
        int hits = 0;
        synchronized (lru) {
            for (int i = from; i < to; i++) {
                byte[] v = lru.get(new SeriesEntry(blockId, offsets[i]));
                if (v != null) {
                    out[i - from] = v;
                    hits++;
                }
            }
        }
        seriesMetrics.requests.increment(out.length);
        seriesMetrics.hits.increment(hits);
        return out;
    }

    /** Bytes held as weighed against the maximum size. */
    long weightedSize() {
        synchronized (lru) {
            return weight;
        }
    }
}
