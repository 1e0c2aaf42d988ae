package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.cache.CacheServer;
import io.thanosj.cache.CachingBucket;
import io.thanosj.cache.IndexCaches;
import io.thanosj.cache.RecordingBucket;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket store with its index cache in memcached and the caching bucket in Redis (and the
 * other way round), against real servers: a repeated query reads nothing from the bucket.
 */
@Tag("integration")
class TestBucketStoreRemoteCaches {
    static final long H = 3_600_000L;
    @TempDir
    Path tmp;

    @Test
    void repeatedQueriesAreServedFromMemcachedAndRedis() throws Exception {
        RecordingBucket inner = new RecordingBucket();
        BlockFixtures.upload(inner, tmp, BlockFixtures.series(60), 0, 2 * H, 15_000, Map.of("c", "1"), 0);
        BlockFixtures.upload(inner, tmp, BlockFixtures.series(60), 2 * H, 4 * H, 15_000, Map.of("c", "1"), 0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (CacheServer mc = CacheServer.memcached(); CacheServer rd = CacheServer.redis()) {
            String memcached = "type: MEMCACHED\nconfig:\n  addresses: [\"" + mc.address() + "\"]\n  timeout: 2s\n";
            String redis = "type: REDIS\nconfig:\n  addr: " + rd.address() + "\n";
            for (String[] cfg : new String[][] {{memcached, redis}, {redis, memcached}}) {
                SimpleMeterRegistry reg = new SimpleMeterRegistry();
                IndexCaches.Created ic = IndexCaches.create(cfg[0], reg);
                Path data = tmp.resolve("d" + System.nanoTime());
                try (CachingBucket bkt = CachingBucket.fromYaml(cfg[1] + "chunk_subrange_size: 8000\n", inner, reg);
                     BucketStore s = new BucketStore(bkt, new MetaFetcher(bkt, data.resolve("meta-syncer"), List.of(), pool, reg),
                             BucketStoreOptions.builder(data).indexCache(ic.index()).build(), reg)) {
                    s.initialSync();
                    SeriesRequest r = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
                            .addAllMatchers(Requests.toProto(List.of(Matcher.of(MatchType.REGEX, "__name__", "up|pair"),
                                    Matcher.of(MatchType.NOT_EQUAL, "job", "j2")))).build();
                    List<SeriesSets.Entry> first = SeriesSets.drain(s.series(r));
                    assertThat(first).isNotEmpty();
                    // Remote stores are asynchronous: wait until a run reads nothing from the bucket.
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    List<SeriesSets.Entry> again;
                    do {
                        Thread.sleep(20);
                        inner.calls.clear();
                        again = SeriesSets.drain(s.series(r));
                    } while (inner.count("get_range") > 0 && System.nanoTime() < deadline);
                    assertThat(inner.calls).as(cfg[0]).noneMatch(c -> c.startsWith("get_range"));
                    assertThat(again).isEqualTo(first);
                } finally {
                    ic.backend().close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
