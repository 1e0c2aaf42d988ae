package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.cache.RecordingBucket;
import io.thanosj.model.Labels;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.QueryResult;
import io.thanosj.query.QueryOptions;
import io.thanosj.query.StoreQueryable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store gateway to querier over a raw block and its 5m-downsampled twin: max_source_resolution
 * picks the downsampled block, and the querier reads the aggregate the function needs.
 */
@Tag("unit")
class TestBucketDownsampledQuery {
    private static final long H = 3_600_000L;
    private static final long RES = 300_000L;

    @TempDir
    Path tmp;

    @Test
    void querierReadsDownsampledBlocksThroughTheStoreGateway() throws Exception {
        RecordingBucket bkt = new RecordingBucket();
        Labels series = Labels.of("__name__", "m", "i", "1");
        BlockFixtures.upload(bkt, tmp, List.of(series), 0, 4 * H, 15_000, Map.of("x", "1"), 0);
        BlockFixtures.uploadDownsampled(bkt, tmp, List.of(series), 0, 4 * H, RES, Map.of("x", "1"));
        Path data = tmp.resolve("data");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        MetaFetcher f = new MetaFetcher(bkt, data.resolve("meta-syncer"), List.of(), pool, new SimpleMeterRegistry());
        Engine engine = new Engine();
        try (BucketStore store = new BucketStore(bkt, f, BucketStoreOptions.builder(data).build(), new SimpleMeterRegistry())) {
            store.initialSync();
            StoreQueryable raw = new StoreQueryable(store, new QueryOptions(false, List.of(), false, 0));
            StoreQueryable fiveMin = new StoreQueryable(store, new QueryOptions(false, List.of(), false, RES));
            long t = 2 * H;

            // Raw: the raw block's samples.
            assertThat(value(engine.instantQuery(raw, "max_over_time(m[1h])", t).execute()))
                    .isEqualTo(BlockFixtures.value(series, t));
            // 5m: the window aggregates (the fixture's values grow with time, so the last window wins).
            assertThat(value(engine.instantQuery(fiveMin, "max_over_time(m[1h])", t).execute()))
                    .isEqualTo(BlockFixtures.aggrValue(series, 3, t));
            assertThat(value(engine.instantQuery(fiveMin, "min_over_time(m[1h])", t).execute()))
                    .isEqualTo(BlockFixtures.aggrValue(series, 2, t - H));
            assertThat(value(engine.instantQuery(fiveMin, "m", t).execute()))
                    .isEqualTo(BlockFixtures.aggrValue(series, 1, t) / BlockFixtures.aggrValue(series, 0, t));
            // The counter aggregate grows by 1 a window: 12 over the hour, samples at both ends.
            assertThat(value(engine.instantQuery(fiveMin, "increase(m[1h])", t).execute())).isCloseTo(12.0, within(1e-9));
        } finally {
            pool.shutdownNow();
        }
    }

    private static double value(QueryResult r) {
        QueryResult.Vector v = (QueryResult.Vector) r;
        assertThat(v.size()).isEqualTo(1);
        return v.values()[0];
    }
}
