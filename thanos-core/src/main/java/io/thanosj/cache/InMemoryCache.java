package io.thanosj.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A size-bounded in-process cache over Caffeine. Every entry weighs its key (two bytes per char)
 * plus its value plus a fixed overhead, and the total never exceeds {@code max_size}; items larger
 * than {@code max_item_size} are not stored (counted as overflowed). Per-entry TTLs use Caffeine's
 * variable expiry on the injected ticker. Maintenance runs on the calling thread, so the size
 * bound holds when a store returns.
 */
final class InMemoryCache implements Cache {
    /** Object headers, the entry and map node: what an entry costs beyond its bytes. */
    static final int ENTRY_OVERHEAD = 96;

    private record Entry(byte[] value, long expiresAtNanos) {}

    private final String name;
    private final long maxItemBytes;
    private final Ticker ticker;
    private final com.github.benmanes.caffeine.cache.Cache<String, Entry> cache;
    private final AtomicLong bytes = new AtomicLong();
    private final Counter requests;
    private final Counter hits;
    private final Counter added;
    private final Counter evicted;
    private final Counter overflowed;

    InMemoryCache(String name, long maxSizeBytes, long maxItemBytes, Ticker ticker, MeterRegistry registry) {
        if (maxSizeBytes < 0 || maxItemBytes < 0) {
            throw new IllegalArgumentException("in-memory cache sizes must not be negative");
        }
        if (maxItemBytes > maxSizeBytes) {
            throw ThanosException.badData("in-memory cache " + name + ": max item size (" + maxItemBytes
                    + ") cannot be bigger than overall cache size (" + maxSizeBytes + ")");
        }
        this.name = name;
        this.maxItemBytes = maxItemBytes;
        this.ticker = ticker;
        this.requests = Counter.builder("thanos.cache.inmemory.requests").tag("name", name)
                .description("Total number of requests to the cache.").register(registry);
        this.hits = Counter.builder("thanos.cache.inmemory.hits").tag("name", name)
                .description("Total number of requests to the cache that were a hit.").register(registry);
        this.added = Counter.builder("thanos.cache.inmemory.items.added").tag("name", name)
                .description("Total number of items that were added to the cache.").register(registry);
        this.evicted = Counter.builder("thanos.cache.inmemory.items.evicted").tag("name", name)
                .description("Total number of items that were evicted from the cache.").register(registry);
        this.overflowed = Counter.builder("thanos.cache.inmemory.items.overflowed").tag("name", name)
                .description("Total number of items that could not be added to the cache due to being too big.").register(registry);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxSizeBytes)
                .weigher((String k, Entry e) -> weight(k, e.value))
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        return e.expiresAtNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, e.expiresAtNanos - now);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long currentDuration) {
                        return expireAfterCreate(key, e, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(ticker)
                .executor(Runnable::run)
                .removalListener((String k, Entry e, RemovalCause cause) -> {
                    if (k != null && e != null) {
                        bytes.addAndGet(-weight(k, e.value));
                    }
                    if (cause.wasEvicted()) {
                        evicted.increment();
                    }
                })
                .build();
        Gauge.builder("thanos.cache.inmemory.items", cache, c -> c.estimatedSize()).tag("name", name)
                .description("Current number of items in the cache.").register(registry);
        Gauge.builder("thanos.cache.inmemory.items.size.bytes", bytes, AtomicLong::get).tag("name", name)
                .description("Current byte size of items in the cache.").register(registry);
        Gauge.builder("thanos.cache.inmemory.max.size.bytes", () -> maxSizeBytes).tag("name", name)
                .description("Maximum number of bytes to be held in the cache.").register(registry);
    }

    static InMemoryCache fromConfig(YamlMap cfg, String name, MeterRegistry registry) {
        cfg.allowOnly("max_size", "max_item_size", "validity");
        long max = cfg.bytes("max_size", Caches.DEFAULT_MAX_SIZE);
        long item = cfg.bytes("max_item_size", Caches.DEFAULT_MAX_ITEM_SIZE);
        if (item > max) {
            throw cfg.bad("max_item_size", "max item size (" + item + ") cannot be bigger than overall cache size (" + max + ")");
        }
        return new InMemoryCache(name, max, item, Ticker.systemTicker(), registry);
    }

    private static int weight(String key, byte[] value) {
        long w = 2L * key.length() + value.length + ENTRY_OVERHEAD;
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    @Override
    public Map<String, byte[]> fetch(List<String> keys) {
        requests.increment(keys.size());
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 0, n = keys.size(); i < n; i++) {
            String k = keys.get(i);
            Entry e = cache.getIfPresent(k);
            if (e != null) {
                out.put(k, e.value);
            }
        }
        hits.increment(out.size());
        return out;
    }

    @Override
    public void store(String key, byte[] value, Duration ttl) {
        if (value.length + 2L * key.length() > maxItemBytes) {
            overflowed.increment();
            return;
        }
        long expires = ttl.isZero() || ttl.isNegative() ? Long.MAX_VALUE : ticker.read() + ttl.toNanos();
        // The removal listener subtracts replaced and evicted entries.
        bytes.addAndGet(weight(key, value));
        cache.put(key, new Entry(value, expires));
        added.increment();
        cache.cleanUp();
    }

    /** Bytes currently held, as weighed against {@code max_size}. */
    long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
