package io.thanosj.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The memcached and Redis backends against real servers started for the test. */
@Tag("integration")
class TestRemoteCaches {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    static String memcachedYaml(CacheServer s) {
        return "type: MEMCACHED\nconfig:\n  addresses: [\"" + s.address() + "\"]\n  timeout: 2s\n  max_get_multi_batch_size: 7\n";
    }

    static String redisYaml(CacheServer s) {
        return "type: REDIS\nconfig:\n  addr: " + s.address() + "\n  prefix: t1-\n  get_multi_batch_size: 7\n";
    }

    @Test
    void memcachedStoresFetchesAndExpires() throws Exception {
        try (CacheServer server = CacheServer.memcached()) {
            Cache c = Caches.create("test", "MEMCACHED", YamlMap.parse("t", memcachedYaml(server)).map("config"), "t", registry);
            try (c) {
                roundTrip(c, () -> { });
                // Memcached counts expiry in whole seconds, so allow it a second either way.
                c.store("ttl", new byte[] {9}, Duration.ofSeconds(3));
                await(() -> c.fetch(List.of("ttl")).containsKey("ttl"));
                Thread.sleep(4500);
                assertThat(c.fetch(List.of("ttl"))).isEmpty();
                String longKey = "k".repeat(400) + " with spaces";
                c.store(longKey, new byte[] {7}, Duration.ZERO);
                await(() -> c.fetch(List.of(longKey)).containsKey(longKey));
            }
        }
    }

    @Test
    void redisStoresFetchesAndExpires() throws Exception {
        try (CacheServer server = CacheServer.redis()) {
            RedisCache c = (RedisCache) Caches.create("test", "REDIS", YamlMap.parse("t", redisYaml(server)).map("config"), "t", registry);
            try (c) {
                roundTrip(c, c::flushQuietly);
                c.store("ttl", new byte[] {9}, Duration.ofMillis(1500));
                c.flush();
                assertThat(c.fetch(List.of("ttl"))).containsKey("ttl");
                Thread.sleep(1800);
                assertThat(c.fetch(List.of("ttl"))).isEmpty();
            }
        }
    }

    /** Many keys across fetch batches, binary values, misses. */
    private void roundTrip(Cache c, Runnable flush) throws Exception {
        Random r = new Random(1);
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] v = new byte[r.nextInt(20_000)];
            r.nextBytes(v);
            keys.add("subrange:01H/chunks/000001:" + i * 16000 + ":" + (i + 1) * 16000);
            values.add(v);
            c.store(keys.get(i), v, Duration.ofMinutes(5));
        }
        flush.run();
        List<String> ask = new ArrayList<>(keys);
        ask.add("missing-1");
        ask.add("missing-2");
        // Stores are best effort: one dropped (a connection blip) is repeated until all are visible.
        long[] lastStore = {System.nanoTime()};
        await(() -> {
            Map<String, byte[]> got = c.fetch(ask);
            if (got.size() < 50 && System.nanoTime() - lastStore[0] > 1_000_000_000L) {
                lastStore[0] = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    if (!got.containsKey(keys.get(i))) {
                        c.store(keys.get(i), values.get(i), Duration.ofMinutes(5));
                    }
                }
                flush.run();
            }
            return got.size() == 50;
        });
        Map<String, byte[]> got = c.fetch(ask);
        for (int i = 0; i < 50; i++) {
            assertThat(got.get(keys.get(i))).isEqualTo(values.get(i));
        }
    }

    @Test
    void indexCacheAndCachingBucketWorkOverMemcachedAndRedis() throws Exception {
        try (CacheServer mc = CacheServer.memcached(); CacheServer rd = CacheServer.redis()) {
            for (String yaml : List.of(memcachedYaml(mc), redisYaml(rd))) {
                IndexCaches.Created created = IndexCaches.create(yaml, new SimpleMeterRegistry());
                IndexCache ic = created.index();
                IndexCache.PostingsKey k = new IndexCache.PostingsKey("__name__", "up");
                // Stores are best effort: one issued while the client is still connecting is dropped
                // (memcached's failure mode is Cancel), so they are repeated until both are visible.
                long[] lastStore = {0};
                await(() -> {
                    if (System.nanoTime() - lastStore[0] > 1_000_000_000L) {
                        lastStore[0] = System.nanoTime();
                        ic.storePostings("01HB", k, new byte[] {1, 2, 3});
                        ic.storeSeries("01HB", 4096, new byte[] {4});
                    }
                    return ic.fetchPostings("01HB", List.of(k))[0] != null && ic.fetchSeries("01HB", new long[] {4096}, 0, 1)[0] != null;
                });
                assertThat(ic.fetchPostings("01HB", List.of(k))[0]).containsExactly(1, 2, 3);
                assertThat(ic.fetchPostings("01HC", List.of(k))[0]).isNull();
                created.backend().close();

                RecordingBucket inner = new RecordingBucket();
                byte[] data = new byte[50_000];
                new Random(2).nextBytes(data);
                inner.put("01HB/chunks/000001", data);
                try (CachingBucket b = CachingBucket.fromYaml(yaml + "chunk_subrange_size: 4000\n", inner, new SimpleMeterRegistry())) {
                    try (InputStream in = b.getRange("01HB/chunks/000001", 1234, 20_000)) {
                        assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1234, 21234));
                    }
                    long first = inner.count("get_range");
                    await(() -> {
                        inner.calls.clear();
                        try (InputStream in = b.getRange("01HB/chunks/000001", 1234, 20_000)) {
                            in.readAllBytes();
                        }
                        return inner.count("get_range") == 0;
                    });
                    assertThat(first).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void unreachableServersReadAsMisses() {
        int port = CacheServer.freePort();
        Cache mc = Caches.create("t", "MEMCACHED", YamlMap.parse("t", "config:\n  addresses: [\"127.0.0.1:" + port
                + "\"]\n  timeout: 200ms\n").map("config"), "m", registry);
        Cache rd = Caches.create("t", "REDIS", YamlMap.parse("t", "config:\n  addr: 127.0.0.1:" + port
                + "\n  dial_timeout: 200ms\n").map("config"), "r", registry);
        try (mc; rd) {
            for (Cache c : List.of(mc, rd)) {
                c.store("a", new byte[] {1}, Duration.ZERO);
                assertThat(c.fetch(List.of("a", "b"))).isEmpty();
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Stores are asynchronous: waits until they are visible. */
    static void await(Check c) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30s");
            }
            Thread.sleep(10);
        }
    }
}
