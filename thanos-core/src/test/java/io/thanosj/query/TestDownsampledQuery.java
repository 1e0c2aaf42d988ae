package io.thanosj.query;

import static io.thanosj.query.DownsampleFixture.downsample;
import static io.thanosj.query.DownsampleFixture.raw;
import static io.thanosj.query.DownsampleFixture.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.QueryResult;
import io.thanosj.proto.storepb.Aggr;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The querier over downsampled chunks: raw samples downsampled by hand into 5m windows, read back
 * in each view, through the real engine, plain and deduplicated.
 */
@Tag("unit")
class TestDownsampledQuery {
    private static final long M = 60_000;
    private static final long RES = 5 * M;
    private static final Engine ENGINE = new Engine();
    private static final Labels SERIES = Labels.of("__name__", "m", "job", "j");

    /** One sample a minute for 15 minutes: three 5m windows. */
    private static final long[] TS = minutes(15);
    /** A gauge: windows (1..5), (10, 2, 8, 4, 6), (7, 7, 7, 7, 9). */
    private static final double[] GAUGE = {1, 2, 3, 4, 5, 10, 2, 8, 4, 6, 7, 7, 7, 7, 9};
    /**
     * A counter with a reset in the first window (120 -> 10) and one in the third (70 -> 5); its
     * true increase is 20 + 10 + 45 + 5 + 10 + 5 + 20 = 115.
     */
    private static final double[] COUNTER = {100, 110, 120, 10, 20, 30, 40, 45, 50, 55, 60, 70, 5, 15, 25};

    private static long[] minutes(int n) {
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = i * M;
        }
        return ts;
    }

    private static List<String> read(SampleIterator it) {
        List<String> out = new ArrayList<>();
        while (it.next()) {
            out.add(it.t() + "=" + it.v());
        }
        return out;
    }

    private static List<String> read(List<AggrChunk> chunks, ChunkView view) {
        return read(ChunkSeriesIterator.of(chunks, view, SERIES));
    }

    @Test
    void everyViewReadsItsAggregatePerWindow() {
        List<AggrChunk> one = List.of(downsample(TS, GAUGE, RES));
        // Windows end at 299999 and 599999; the last one at the last sample (840000).
        assertThat(read(one, ChunkView.AVERAGE)).containsExactly("299999=3.0", "599999=6.0", "840000=7.4");
        assertThat(read(one, ChunkView.COUNT)).containsExactly("299999=5.0", "599999=5.0", "840000=5.0");
        assertThat(read(one, ChunkView.SUM)).containsExactly("299999=15.0", "599999=30.0", "840000=37.0");
        assertThat(read(one, ChunkView.MIN)).containsExactly("299999=1.0", "599999=2.0", "840000=7.0");
        assertThat(read(one, ChunkView.MAX)).containsExactly("299999=5.0", "599999=10.0", "840000=9.0");
        // Counter: the first raw value, the running total per window; the repeated last raw value
        // (840000=9) is consumed, not returned.
        assertThat(read(one, ChunkView.COUNTER)).containsExactly("0=1.0", "299999=5.0", "599999=24.0", "840000=27.0");
        // Raw chunks are read as they are in every view, counters included.
        List<AggrChunk> rawOnly = List.of(raw(TS, GAUGE));
        for (ChunkView v : ChunkView.values()) {
            assertThat(read(rawOnly, v)).as(v.name()).hasSize(15).startsWith("0=1.0", "60000=2.0").contains("420000=8.0");
        }
    }

    @Test
    void countersCarryTheirTotalAcrossChunksByTheRepeatedLastRawValue() {
        // Two batches, as the compactor cuts them at window boundaries: minutes 0-9 and 10-14.
        List<AggrChunk> two = List.of(downsample(slice(TS, 0, 10), slice(COUNTER, 0, 10), RES),
                downsample(slice(TS, 10, 15), slice(COUNTER, 10, 15), RES));
        // Chunk 1 ends at total 175 but raw 55; chunk 2 starts at raw 60: +5, not a reset (+60).
        assertThat(read(two, ChunkView.COUNTER))
                .containsExactly("0=100.0", "299999=140.0", "540000=175.0", "600000=180.0", "840000=215.0");
        // Seeks step through every sample and land on the same totals.
        SampleIterator it = ChunkSeriesIterator.of(two, ChunkView.COUNTER, SERIES);
        assertThat(it.seek(600_000)).isTrue();
        assertThat(it.v()).isEqualTo(180.0);
        assertThat(it.seek(1)).isTrue();
        assertThat(it.t()).isEqualTo(600_000);
        assertThat(it.seek(840_001)).isFalse();
        // A raw chunk followed by a downsampled one: one total over both.
        List<AggrChunk> mixed = List.of(raw(slice(TS, 0, 10), slice(COUNTER, 0, 10)),
                downsample(slice(TS, 10, 15), slice(COUNTER, 10, 15), RES));
        assertThat(read(mixed, ChunkView.COUNTER)).endsWith("600000=180.0", "840000=215.0");
    }

    private static double instant(StoreQueryable q, String query, long t) {
        QueryResult r = ENGINE.instantQuery(q, query, t).execute();
        assertThat(r).isInstanceOf(QueryResult.Vector.class);
        QueryResult.Vector v = (QueryResult.Vector) r;
        assertThat(v.size()).as(query).isEqualTo(1);
        return v.values()[0];
    }

    private static StoreQueryable querier(DownsampleFixture.ListStore store, long maxRes) {
        return new StoreQueryable(store, new QueryOptions(false, List.of(), false, maxRes));
    }

    @Test
    void theRequestAsksForTheAggregatesOfTheEnclosingFunction() {
        DownsampleFixture.ListStore store = new DownsampleFixture.ListStore().add(SERIES, downsample(TS, GAUGE, RES));
        StoreQueryable q = querier(store, 3_600_000);
        String[][] cases = {
            {"m", "COUNT,SUM"}, {"sum(m)", "COUNT,SUM"}, {"avg_over_time(m[1h])", "COUNT,SUM"},
            {"min(m)", "MIN"}, {"min_over_time(m[1h])", "MIN"}, {"max(m)", "MAX"}, {"max_over_time(m[1h])", "MAX"},
            {"count(m)", "COUNT"}, {"count_over_time(m[1h])", "COUNT"}, {"sum_over_time(m[1h])", "SUM"},
            {"rate(m[1h])", "COUNTER"}, {"increase(m[1h])", "COUNTER"}, {"irate(m[1h])", "COUNTER"},
            {"resets(m[1h])", "COUNTER"}, {"abs(m)", "COUNT,SUM"}, {"m * 2", "COUNT,SUM"},
        };
        for (String[] c : cases) {
            store.requests.clear();
            ENGINE.instantQuery(q, c[0], 840_000).execute();
            assertThat(store.requests).as(c[0]).hasSize(1);
            List<String> aggrs = new ArrayList<>();
            for (Aggr a : store.requests.get(0).getAggregatesList()) {
                aggrs.add(a.name());
            }
            assertThat(String.join(",", aggrs)).as(c[0]).isEqualTo(c[1]);
        }
        // Functions needing two samples read at most half their range's resolution.
        store.requests.clear();
        ENGINE.instantQuery(q, "rate(m[1h])", 840_000).execute();
        ENGINE.instantQuery(q, "max_over_time(m[1h])", 840_000).execute();
        ENGINE.instantQuery(q, "deriv(m[20m])", 840_000).execute();
        assertThat(store.requests).extracting(SeriesRequest::getMaxResolutionWindow).containsExactly(1_800_000L, 3_600_000L, 600_000L);
    }

    @Test
    void theEngineReadsWindowValuesOfDownsampledData() {
        StoreQueryable q = querier(new DownsampleFixture.ListStore().add(SERIES, downsample(TS, GAUGE, RES)), RES);
        assertThat(instant(q, "m", 599_999)).isEqualTo(6.0);
        assertThat(instant(q, "avg(m)", 840_000)).isEqualTo(7.4);
        assertThat(instant(q, "min_over_time(m[4m])", 599_999)).isEqualTo(2.0);
        assertThat(instant(q, "max_over_time(m[10m])", 840_000)).isEqualTo(10.0);
        assertThat(instant(q, "sum_over_time(m[5m])", 840_000)).isEqualTo(67.0);
        assertThat(instant(q, "max(m)", 840_000)).isEqualTo(9.0);
    }

    /**
     * Increase over the whole series: the downsampled counter starts at the first raw sample and
     * its last total sits at the last raw sample, so PromQL's extrapolation sees the same interval
     * as on raw data and the result is exact: 115 over 840s, extrapolated by the 30s before the
     * first sample (870 / 840).
     */
    @Test
    void rateAndIncreaseOverCounterAggregatesEqualTheRawResult() {
        Labels s = Labels.of("__name__", "c");
        DownsampleFixture.ListStore ds = new DownsampleFixture.ListStore().add(s,
                downsample(slice(TS, 0, 10), slice(COUNTER, 0, 10), RES), downsample(slice(TS, 10, 15), slice(COUNTER, 10, 15), RES));
        DownsampleFixture.ListStore rawStore = new DownsampleFixture.ListStore().add(s, raw(TS, COUNTER));
        double want = 115.0 * 870 / 840;
        for (String query : new String[] {"increase(c[870s])", "rate(c[870s]) * 870"}) {
            double raw = instant(querier(rawStore, 0), query, 840_000);
            double got = instant(querier(ds, 3_600_000), query, 840_000);
            assertThat(raw).as(query).isCloseTo(want, within(1e-9));
            assertThat(got).as(query).isCloseTo(want, within(1e-9));
        }
        // The store was asked for counter aggregates at up to half the range (435s >= 5m).
        assertThat(ds.requests.get(ds.requests.size() - 1).getMaxResolutionWindow()).isEqualTo(435_000);
    }

    @Test
    void deduplicatedReplicasOfDownsampledData() {
        // Replica a was downsampled in two batches, replica b in one: their chunks overlap.
        DownsampleFixture.ListStore store = new DownsampleFixture.ListStore()
                .add(Labels.of("__name__", "c", "replica", "a"),
                        downsample(slice(TS, 0, 10), slice(COUNTER, 0, 10), RES),
                        downsample(slice(TS, 10, 15), slice(COUNTER, 10, 15), RES))
                .add(Labels.of("__name__", "c", "replica", "b"), downsample(TS, COUNTER, RES))
                .add(Labels.of("__name__", "g", "replica", "a"), downsample(TS, GAUGE, RES))
                .add(Labels.of("__name__", "g", "replica", "b"), downsample(TS, GAUGE, RES));
        StoreQueryable q = new StoreQueryable(store, new QueryOptions(true, List.of("replica"), false, RES));
        assertThat(instant(q, "increase(c[870s])", 840_000)).isCloseTo(115.0 * 870 / 840, within(1e-9));
        SeriesRequest r = store.requests.get(0);
        assertThat(r.getAggregatesList()).containsExactly(Aggr.COUNTER);
        assertThat(r.getWithoutReplicaLabelsList()).containsExactly("replica");
        assertThat(instant(q, "g", 599_999)).isEqualTo(6.0);
        assertThat(instant(q, "min_over_time(g[15m])", 840_000)).isEqualTo(1.0);
        assertThat(store.requests.get(store.requests.size() - 1).getAggregatesList()).containsExactly(Aggr.MIN);

        // The replica runs as the penalty algorithm gets them: totals, bounded to the select's range.
        SampleIterator run = StoreQueryable.run(ChunkView.COUNTER, SERIES, List.of(downsample(TS, COUNTER, RES)),
                List.of(downsample(TS, COUNTER, RES)), 1, 840_000);
        assertThat(read(run)).containsExactly("299999=140.0", "599999=175.0", "840000=215.0");
    }

    /**
     * Replica a misses minutes 10-24 of a 30-minute counter; replica b started later, so its
     * counter is 500 lower all along. The penalty algorithm follows a, switches to b across a's
     * gap and must lift b to a's last total: a drop there would read as a reset (an increase of
     * hundreds instead of about 10 a minute).
     */
    @Test
    void deduplicatedCounterNeverDecreasesAcrossASwitch() {
        long[] ts = minutes(30);
        double[] a = new double[30];
        double[] b = new double[30];
        for (int i = 0; i < 30; i++) {
            a[i] = 1000 + 10 * i;
            b[i] = a[i] - 500;
        }
        DownsampleFixture.ListStore store = new DownsampleFixture.ListStore()
                .add(Labels.of("__name__", "c", "replica", "a"),
                        downsample(slice(ts, 0, 10), slice(a, 0, 10), RES), downsample(slice(ts, 25, 30), slice(a, 25, 30), RES))
                .add(Labels.of("__name__", "c", "replica", "b"), downsample(ts, b, RES));
        StoreQueryable q = new StoreQueryable(store, new QueryOptions(true, List.of("replica"), false, RES));
        QueryResult.Matrix m = (QueryResult.Matrix) ENGINE.rangeQuery(q, "increase(c[15m])", 10 * M, 29 * M, M).execute();
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.vs().get(0)).isNotEmpty();
        for (double v : m.vs().get(0)) {
            assertThat(v).isBetween(0.0, 300.0);
        }
        QueryResult.Matrix resets = (QueryResult.Matrix) ENGINE.rangeQuery(q, "resets(c[30m])", 29 * M, 29 * M, M).execute();
        assertThat(resets.vs().get(0)[0]).isEqualTo(0.0);
    }

    /**
     * Over gRPC the querier gets chunks as columns, where downsampled chunks are kept whole: raw and
     * downsampled chunks of one series, counter and average views.
     */
    @Test
    void downsampledChunksOverGrpc() throws Exception {
        Labels s = Labels.of("__name__", "c");
        DownsampleFixture.ListStore store = new DownsampleFixture.ListStore().add(s,
                raw(slice(TS, 0, 10), slice(COUNTER, 0, 10)), downsample(slice(TS, 10, 15), slice(COUNTER, 10, 15), RES));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        io.grpc.Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
                .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .addService(new io.thanosj.store.StoreService(store, pool)).build().start();
        io.grpc.ManagedChannel ch = io.grpc.Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(),
                io.grpc.InsecureChannelCredentials.create()).build();
        try {
            io.thanosj.store.GrpcStoreClient client = new io.thanosj.store.GrpcStoreClient(ch, "test", java.time.Duration.ofSeconds(10));
            try (io.thanosj.store.SeriesSet set = client.series(SeriesRequest.newBuilder().setMaxTime(Long.MAX_VALUE)
                    .addMatchers(io.thanosj.store.Requests.toProto(io.thanosj.model.Matcher.equal("__name__", "c"))).build())) {
                assertThat(set.next()).isTrue();
                assertThat(set.chunks()).isInstanceOfSatisfying(io.thanosj.store.SeriesChunks.class,
                        c -> assertThat(c.plain(0) && !c.plain(1)).isTrue());
            }
            StoreQueryable q = new StoreQueryable(client, new QueryOptions(false, List.of(), false, RES));
            assertThat(instant(q, "increase(c[870s])", 840_000)).isCloseTo(115.0 * 870 / 840, within(1e-9));
            // Raw samples up to 540000, then window averages: (60 + 70 + 5 + 15 + 25) / 5 at 840000.
            assertThat(instant(q, "c", 540_000)).isEqualTo(55.0);
            assertThat(instant(q, "c", 840_000)).isEqualTo(35.0);
        } finally {
            ch.shutdownNow();
            server.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingAggregateFailsTheQueryNamingSeriesChunkAndAggregate() {
        AggrChunk full = downsample(TS, GAUGE, RES);
        AggrChunk countOnly = full.toBuilder().clearSum().clearMin().clearMax().clearCounter().build();
        StoreQueryable q = querier(new DownsampleFixture.ListStore().add(SERIES, countOnly), RES);
        assertThat(instant(q, "count(m)", 840_000)).isEqualTo(1.0);
        assertThatThrownBy(() -> ENGINE.instantQuery(q, "m", 840_000).execute()).isInstanceOf(ThanosException.class)
                .hasMessageContaining("decode series {__name__=\"m\", job=\"j\"}: chunk [299999, 840000] has no raw data and no count and sum aggregate")
                .hasMessageContaining("(count, sum)");
        assertThatThrownBy(() -> ENGINE.instantQuery(q, "rate(m[10m])", 840_000).execute()).isInstanceOf(ThanosException.class)
                .hasMessageContaining("has no raw data and no counter aggregate");
        StoreQueryable dq = new StoreQueryable(new DownsampleFixture.ListStore().add(SERIES, countOnly),
                new QueryOptions(true, List.of("replica"), false, RES));
        assertThatThrownBy(() -> ENGINE.instantQuery(dq, "max_over_time(m[10m])", 840_000).execute())
                .isInstanceOf(ThanosException.class).hasMessageContaining("has no raw data and no max aggregate");
        // Misaligned count and sum.
        AggrChunk shifted = full.toBuilder().setSum(downsample(slice(TS, 0, 10), slice(GAUGE, 0, 10), RES).getSum()).build();
        assertThatThrownBy(() -> read(List.of(shifted), ChunkView.AVERAGE)).isInstanceOf(ThanosException.class)
                .hasMessageContaining("count and sum aggregates are not aligned");
    }
}
