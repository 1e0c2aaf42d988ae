package io.thanosj.store;

import static io.thanosj.store.StoreTesting.chunk;
import static io.thanosj.store.StoreTesting.labelsOf;
import static io.thanosj.store.StoreTesting.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.PartialResponseStrategy;
import io.thanosj.proto.storepb.SeriesRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestProxyStore {
    private static final Matcher UP = Matcher.equal("__name__", "up");

    private static StoreTarget target(String name, StoreServer s) {
        return new StoreTarget(name, s, s.info());
    }

    private static ProxyStore proxy(StoreTarget... ts) {
        return proxy(Limits.NONE, ts);
    }

    private static ProxyStore proxy(Limits limits, StoreTarget... ts) {
        List<StoreTarget> list = List.of(ts);
        return new ProxyStore(() -> list, StoreTesting.EXECUTOR, limits);
    }

    /** Three stores with overlapping series: one series in all three, with one shared identical chunk. */
    @Test
    void mergesThreeSortedStoresAndTheirOverlappingSeries() {
        MemStore a = new MemStore(Labels.EMPTY), b = new MemStore(Labels.EMPTY), c = new MemStore(Labels.EMPTY);
        List<Labels> want = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Labels l = Labels.of("__name__", "up", "i", String.format("%02d", i));
            want.add(l);
            MemStore s = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
            s.add(l, chunk(0, 99, 10, i));
            if (i % 5 == 0) { // also in a second store, different data
                (s == a ? b : a).add(l, chunk(100, 199, 10, 100 + i));
            }
        }
        Labels shared = Labels.of("__name__", "up", "i", "shared");
        want.add(shared);
        a.add(shared, chunk(0, 99, 10, 500), chunk(100, 199, 10, 501));
        b.add(shared, chunk(100, 199, 10, 501)); // identical to a's second chunk
        c.add(shared, chunk(200, 299, 10, 502));
        c.add(Labels.of("__name__", "down"), chunk(0, 99, 1, 1));

        List<SeriesSets.Entry> got = SeriesSets.drain(proxy(target("a", a), target("b", b), target("c", c))
                .series(request(0, 1000, UP).build()));
        assertThat(labelsOf(got)).isEqualTo(want).isSorted();
        SeriesSets.Entry merged = got.get(got.size() - 1);
        assertThat(merged.chunks()).extracting(AggrChunk::getMinTime).containsExactly(0L, 100L, 200L);
        assertThat(got.get(0).chunks()).extracting(AggrChunk::getMinTime).containsExactly(0L, 100L); // i=00
        assertThat(got.get(1).chunks()).hasSize(1);
    }

    @Test
    void readsSourcesLazily() {
        AtomicInteger produced = new AtomicInteger();
        StoreServer big = new MemStore(Labels.EMPTY) {
            @Override
            public SeriesSet series(SeriesRequest r) {
                return new CountingSet(100_000, produced);
            }
        };
        try (SeriesSet s = proxy(new StoreTarget("big", big, new StoreInfo(List.of(), 0, 10, true)))
                .series(request(0, 10, UP).build())) {
            for (int i = 0; i < 10; i++) {
                assertThat(s.next()).isTrue();
            }
        }
        assertThat(produced.get()).isLessThanOrEqualTo(11);
    }

    @Test
    void skipsStoresByTimeRangeAndExternalLabels() {
        MemStore eu = new MemStore(Labels.of("region", "eu")).add(Labels.of("__name__", "up"), chunk(0, 100, 1, 1));
        MemStore us = new MemStore(Labels.of("region", "us")).add(Labels.of("__name__", "up"), chunk(0, 100, 1, 2));
        MemStore old = new MemStore(Labels.of("region", "eu")).add(Labels.of("__name__", "up", "old", "1"), chunk(-500, -400, 1, 3));
        ProxyStore p = proxy(target("eu", eu), target("us", us), target("old", old));
        List<SeriesSets.Entry> got = SeriesSets.drain(p.series(request(0, 200, UP, Matcher.of(MatchType.REGEX, "region", "e.*")).build()));
        assertThat(labelsOf(got)).containsExactly(Labels.of("__name__", "up", "region", "eu"));
        assertThat(eu.seriesCalls.get()).isEqualTo(1);
        assertThat(us.seriesCalls.get()).isZero();
        assertThat(old.seriesCalls.get()).isZero();
    }

    @Test
    void endpointDownIsAWarningOrAnErrorByStrategy() throws Exception {
        MemStore up = new MemStore(Labels.of("replica", "a")).add(Labels.of("__name__", "up"), chunk(0, 100, 1, 1));
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        String dead = "127.0.0.1:" + deadPort;
        ManagedChannel ch = Grpc.newChannelBuilder(dead, InsecureChannelCredentials.create()).build();
        try {
            StoreTarget down = new StoreTarget(dead, new GrpcStoreClient(ch, dead, Duration.ofSeconds(5)),
                    new StoreInfo(List.of(Labels.of("replica", "b")), 0, 100, true));
            ProxyStore p = proxy(target("up", up), down);

            SeriesSet s = p.series(request(0, 100, UP).build());
            List<SeriesSets.Entry> got = new ArrayList<>();
            while (s.next()) {
                got.add(new SeriesSets.Entry(s.labels(), s.chunks()));
            }
            assertThat(labelsOf(got)).containsExactly(Labels.of("__name__", "up", "replica", "a"));
            assertThat(s.warnings()).singleElement().asString()
                    .startsWith("receive series from " + dead + ": unavailable");
            s.close();

            SeriesRequest abort = request(0, 100, UP).setPartialResponseStrategy(PartialResponseStrategy.ABORT).build();
            assertThatThrownBy(() -> SeriesSets.drain(p.series(abort)))
                    .isInstanceOfSatisfying(ThanosException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.getMessage()).startsWith("receive series from " + dead + ": unavailable");
                    });

            LabelNamesResponse names = p.labelNames(LabelNamesRequest.newBuilder().setStart(0).setEnd(100).build());
            assertThat(names.getNamesList()).containsExactly("__name__", "replica");
            assertThat(names.getWarningsList()).singleElement().asString().startsWith("fetch label names from " + dead);
            assertThatThrownBy(() -> p.labelValues(LabelValuesRequest.newBuilder().setLabel("replica").setPartialResponseDisabled(true).build()))
                    .isInstanceOfSatisfying(ThanosException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void slowEndpointTimesOutPerFrame() throws Exception {
        MemStore fast = new MemStore(Labels.of("replica", "a")).add(Labels.of("__name__", "up"), chunk(0, 100, 1, 1));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        StoreServer slow = new MemStore(Labels.EMPTY) {
            @Override
            public SeriesSet series(SeriesRequest r) {
                try {
                    release.await(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return SeriesSet.empty();
            }
        };
        try (StoreTesting.Served served = StoreTesting.serve(slow)) {
            StoreTarget t = new StoreTarget(served.address, served.client(Duration.ofMillis(200)),
                    new StoreInfo(List.of(), 0, 100, true));
            long start = System.nanoTime();
            SeriesSet s = proxy(target("fast", fast), t).series(request(0, 100, UP).build());
            List<SeriesSets.Entry> got = SeriesSets.drain(s);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);
            assertThat(got).hasSize(1);
            assertThat(s.warnings()).containsExactly("receive series from " + served.address + ": no data received within 200ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void seriesAndSampleLimits() {
        MemStore a = new MemStore(Labels.EMPTY), b = new MemStore(Labels.EMPTY);
        for (int i = 0; i < 10; i++) {
            (i % 2 == 0 ? a : b).add(Labels.of("__name__", "up", "i", "" + i), chunk(0, 100, 120, i));
        }
        SeriesRequest r = request(0, 100, UP).build();
        assertThat(SeriesSets.drain(proxy(new Limits(10, 1200), target("a", a), target("b", b)).series(r))).hasSize(10);
        assertThatThrownBy(() -> SeriesSets.drain(proxy(new Limits(9, 0), target("a", a), target("b", b)).series(r)))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
                    assertThat(e.getMessage()).isEqualTo("select series: exceeded series limit: limit 9 violated (got 10)");
                });
        assertThatThrownBy(() -> SeriesSets.drain(proxy(new Limits(0, 1000), target("a", a), target("b", b)).series(r)))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
                    assertThat(e.getMessage()).isEqualTo("select series: exceeded samples limit: limit 1000 violated (got 1080)");
                });
        // The request's own limit truncates instead of failing.
        assertThat(SeriesSets.drain(proxy(target("a", a), target("b", b)).series(request(0, 100, UP).setLimit(3).build())))
                .hasSize(3);
    }

    @Test
    void badRequestsAreBadData() {
        ProxyStore p = proxy(target("a", new MemStore(Labels.EMPTY)));
        assertThatThrownBy(() -> p.series(request(10, 5, UP).build()))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).isEqualTo("invalid series request: min_time 10 is after max_time 5");
                });
        assertThatThrownBy(() -> p.series(request(0, 5).build()))
                .isInstanceOfSatisfying(ThanosException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("invalid series request: no matchers specified"));
        assertThatThrownBy(() -> p.series(request(0, 5, Matcher.equal("a", "b")).addMatchers(
                io.thanosj.proto.storepb.LabelMatcher.newBuilder().setTypeValue(2).setName("x").setValue("[")).build()))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).startsWith("invalid matcher x=~\"[\": error parsing regexp: missing closing ]");
                });
    }

    @Test
    void removesReplicaLabelsForStoresThatDoNotAndKeepsOrder() {
        // Replica label constant per store (external): stripped lazily.
        MemStore a = new MemStore(Labels.of("replica", "a"), false);
        MemStore b = new MemStore(Labels.of("replica", "b"), false);
        // Varying replica label in one store: forces the sorting fallback.
        MemStore mixed = new MemStore(Labels.EMPTY, false);
        for (String i : List.of("1", "2", "3")) {
            a.add(Labels.of("__name__", "up", "i", i), chunk(0, 99, 10, 1));
            b.add(Labels.of("__name__", "up", "i", i), chunk(0, 99, 10, 2));
        }
        mixed.add(Labels.of("__name__", "up", "a", "1", "replica", "x", "z", "2"), chunk(0, 99, 10, 3));
        mixed.add(Labels.of("__name__", "up", "a", "1", "replica", "y", "z", "1"), chunk(0, 99, 10, 4));
        SeriesRequest r = request(0, 100, UP).addWithoutReplicaLabels("replica").build();
        List<SeriesSets.Entry> got = SeriesSets.drain(proxy(target("a", a), target("b", b), target("m", mixed)).series(r));
        assertThat(labelsOf(got)).containsExactly(
                Labels.of("__name__", "up", "a", "1", "z", "1"),
                Labels.of("__name__", "up", "a", "1", "z", "2"),
                Labels.of("__name__", "up", "i", "1"),
                Labels.of("__name__", "up", "i", "2"),
                Labels.of("__name__", "up", "i", "3"));
        assertThat(got.get(2).chunks()).hasSize(2); // both replicas' chunks under one series
    }

    @Test
    void labelNamesAndValuesAreMergedSortedAndLimited() {
        MemStore a = new MemStore(Labels.of("zone", "a")).add(Labels.of("__name__", "up", "job", "x"), chunk(0, 9, 1, 1));
        MemStore b = new MemStore(Labels.of("zone", "b")).add(Labels.of("__name__", "up", "job", "y", "extra", "1"), chunk(0, 9, 1, 1));
        ProxyStore p = proxy(target("a", a), target("b", b));
        assertThat(p.labelNames(LabelNamesRequest.newBuilder().setStart(0).setEnd(10).build()).getNamesList())
                .containsExactly("__name__", "extra", "job", "zone");
        LabelValuesResponse v = p.labelValues(LabelValuesRequest.newBuilder().setLabel("job").setLimit(1).build());
        assertThat(v.getValuesList()).containsExactly("x");
        assertThat(p.labelValues(LabelValuesRequest.newBuilder().setLabel("zone")
                .addMatchers(Requests.toProto(Matcher.equal("zone", "b"))).build()).getValuesList()).containsExactly("b");
        assertThat(p.info().labelSets()).containsExactlyInAnyOrder(Labels.of("zone", "a"), Labels.of("zone", "b"));
        // Replica labels removed from names, and no values for them.
        assertThat(p.labelNames(LabelNamesRequest.newBuilder().addWithoutReplicaLabels("zone").build()).getNamesList())
                .containsExactly("__name__", "extra", "job");
        assertThat(p.labelValues(LabelValuesRequest.newBuilder().setLabel("zone").addWithoutReplicaLabels("zone").build())
                .getValuesList()).isEmpty();
    }

    @Test
    void proxyOfProxiesOverGrpc() throws Exception {
        MemStore a = new MemStore(Labels.of("replica", "a")).add(Labels.of("__name__", "up"), chunk(0, 9, 1, 1));
        MemStore b = new MemStore(Labels.of("replica", "b")).add(Labels.of("__name__", "up"), chunk(0, 9, 1, 2));
        try (StoreTesting.Served sa = StoreTesting.serve(a); StoreTesting.Served sb = StoreTesting.serve(b)) {
            ProxyStore inner = proxy(target(sa.address, sa.client(Duration.ofSeconds(5))), target(sb.address, sb.client(Duration.ofSeconds(5))));
            try (StoreTesting.Served si = StoreTesting.serve(inner)) {
                ProxyStore outer = proxy(target(si.address, si.client(Duration.ofSeconds(5))));
                assertThat(labelsOf(SeriesSets.drain(outer.series(request(0, 9, UP).build()))))
                        .containsExactly(Labels.of("__name__", "up", "replica", "a"), Labels.of("__name__", "up", "replica", "b"));
                List<SeriesSets.Entry> dedup = SeriesSets.drain(outer.series(request(0, 9, UP).addWithoutReplicaLabels("replica").build()));
                assertThat(dedup).singleElement().satisfies(e -> assertThat(e.chunks()).hasSize(2));
            }
        }
    }

    /** Generates series on demand, counting how many were produced. */
    private static final class CountingSet implements SeriesSet {
        private final int n;
        private final AtomicInteger produced;
        private Labels labels;

        CountingSet(int n, AtomicInteger produced) {
            this.n = n;
            this.produced = produced;
        }

        @Override
        public boolean next() {
            if (produced.get() >= n) {
                return false;
            }
            labels = Labels.of("__name__", "up", "i", String.format("%08d", produced.getAndIncrement()));
            return true;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public List<AggrChunk> chunks() {
            return List.of();
        }

        @Override
        public List<String> warnings() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
