package io.thanosj.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The index cache over any {@link Cache} backend, with Thanos's keys: {@code S:<block>:<offset>}
 * for series (the value is the raw series entry, as Thanos stores it) and
 * {@code P:<block>:<sha256 of name:value>:dv1} for postings (our own delta-varint encoding, so the
 * suffix differs from Thanos's {@code dvs} snappy values and the two never read each other's).
 * Label pairs are hashed so that keys stay short and safe for memcached.
 */
final class BackedIndexCache implements IndexCache {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final Cache cache;
    private final Duration ttl;
    private final boolean postings;
    private final boolean series;
    private final Counter postingsRequests;
    private final Counter postingsHits;
    private final Counter seriesRequests;
    private final Counter seriesHits;

    BackedIndexCache(Cache cache, Duration ttl, Set<String> enabledItems, MeterRegistry registry) {
        this.cache = cache;
        this.ttl = ttl;
        this.postings = enabledItems.isEmpty() || enabledItems.contains(POSTINGS);
        this.series = enabledItems.isEmpty() || enabledItems.contains(SERIES);
        this.postingsRequests = requests(registry, POSTINGS);
        this.postingsHits = hits(registry, POSTINGS);
        this.seriesRequests = requests(registry, SERIES);
        this.seriesHits = hits(registry, SERIES);
        requests(registry, EXPANDED_POSTINGS);
        hits(registry, EXPANDED_POSTINGS);
    }

    static Counter requests(MeterRegistry r, String type) {
        return Counter.builder("thanos.store.index.cache.requests").tags("item_type", type, "tenant", "default-tenant")
                .description("Total number of items requests to the cache.").register(r);
    }

    static Counter hits(MeterRegistry r, String type) {
        return Counter.builder("thanos.store.index.cache.hits").tags("item_type", type, "tenant", "default-tenant")
                .description("Total number of items requests to the cache that were a hit.").register(r);
    }

    static String postingsKey(String blockId, PostingsKey k) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(k.name().getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':');
        md.update(k.value().getBytes(StandardCharsets.UTF_8));
        return "P:" + blockId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(md.digest()) + ":dv1";
    }

    static String seriesKey(String blockId, long offset) {
        return "S:" + blockId + ":" + offset;
    }

    @Override
    public void storePostings(String blockId, PostingsKey key, byte[] value) {
        if (postings) {
            cache.store(postingsKey(blockId, key), value, ttl);
        }
    }

    @Override
    public byte[][] fetchPostings(String blockId, List<PostingsKey> keys) {
        byte[][] out = new byte[keys.size()][];
        if (!postings || keys.isEmpty()) {
            return out;
        }
        List<String> ks = new ArrayList<>(keys.size());
        for (PostingsKey k : keys) {
            ks.add(postingsKey(blockId, k));
        }
        Map<String, byte[]> hits = cache.fetch(ks);
        postingsRequests.increment(keys.size());
        postingsHits.increment(hits.size());
        for (int i = 0; i < out.length; i++) {
            out[i] = hits.get(ks.get(i));
        }
        return out;
    }

    @Override
    public void storeSeries(String blockId, long offset, byte[] value) {
        if (series) {
            cache.store(seriesKey(blockId, offset), value, ttl);
        }
    }

    @Override
    public byte[][] fetchSeries(String blockId, long[] offsets, int from, int to) {
        byte[][] out = new byte[to - from][];
        if (!series || to <= from) {
            return out;
        }
        List<String> ks = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ks.add(seriesKey(blockId, offsets[i]));
        }
        Map<String, byte[]> hits = cache.fetch(ks);
        seriesRequests.increment(ks.size());
        seriesHits.increment(hits.size());
        for (int i = 0; i < out.length; i++) {
            out[i] = hits.get(ks.get(i));
        }
        return out;
    }
}
