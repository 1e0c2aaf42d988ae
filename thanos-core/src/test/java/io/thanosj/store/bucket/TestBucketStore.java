package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.cache.IndexCaches;
import io.thanosj.cache.RecordingBucket;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.ObjectAttributes;
import io.thanosj.proto.storepb.Aggr;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.SeriesSets;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.local.LocalBlockStore;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.bucket.BucketBlocks;
import io.thanosj.tsdb.chunk.XorChunk;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bucket store against the local block store (over whole local blocks) on the same blocks. */
@Tag("unit")
class TestBucketStore {
    static final long H = 3_600_000L;

    @TempDir
    static Path tmp;
    static RecordingBucket bkt;
    static List<LocalBlockStore> reference = new ArrayList<>();
    static List<Block> opened = new ArrayList<>();
    static List<String> ids = new ArrayList<>();

    @BeforeAll
    static void blocks() throws Exception {
        bkt = new RecordingBucket();
        List<Labels> all = BlockFixtures.series(90);
        add(BlockFixtures.upload(bkt, tmp, all, 0, 2 * H, 15_000, Map.of("cluster", "a", "replica", "r0"), 0));
        add(BlockFixtures.upload(bkt, tmp, all.subList(10, 92), 2 * H, 4 * H, 15_000, Map.of("cluster", "a", "replica", "r0"), 0));
        add(BlockFixtures.upload(bkt, tmp, all.subList(0, 40), 0, 4 * H, 30_000, Map.of("cluster", "b"), 0));
    }

    static void add(Path dir) {
        Block b = Block.open(dir);
        opened.add(b);
        ids.add(b.meta().ulid());
        reference.add(new LocalBlockStore(b, b.meta().thanos().externalLabels(), false)); // chunks as stored, as the store gateway sends them
    }

    @AfterAll
    static void close() {
        opened.forEach(Block::close);
    }

    static BucketStore store(Path dataDir, SimpleMeterRegistry reg, Consumer<BucketStoreOptions.Builder> opts) {
        return store(bkt, dataDir, reg, opts);
    }

    static BucketStore store(Bucket bucket, Path dataDir, SimpleMeterRegistry reg, Consumer<BucketStoreOptions.Builder> opts) {
        MetaFetcher f = new MetaFetcher(bucket, dataDir.resolve("meta-syncer"), List.of(), Executors.newFixedThreadPool(4), reg);
        BucketStoreOptions.Builder b = BucketStoreOptions.builder(dataDir);
        opts.accept(b);
        BucketStore s = new BucketStore(bucket, f, b.build(), reg);
        s.initialSync();
        return s;
    }

    static Matcher m(String name, MatchType t, String v) {
        return Matcher.of(t, name, v);
    }

    static SeriesRequest req(long mint, long maxt, Matcher... ms) {
        return SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt).addAllMatchers(Requests.toProto(List.of(ms))).build();
    }

    /** Labels and chunk contents, ignoring the chunk hash that only the bucket store sets. */
    static List<String> render(SeriesSet set) {
        List<String> out = new ArrayList<>();
        for (SeriesSets.Entry e : SeriesSets.drain(set)) {
            out.add(render(e.labels(), e.chunks()));
        }
        return out;
    }

    static String render(Labels labels, List<AggrChunk> chunks) {
        StringBuilder sb = new StringBuilder(labels.toString());
        for (AggrChunk c : chunks) {
            sb.append(" [").append(c.getMinTime()).append(',').append(c.getMaxTime()).append(' ')
                    .append(Integer.toHexString(c.getRaw().getData().hashCode())).append(']');
        }
        return sb.toString();
    }

    static List<String> expected(SeriesRequest r) {
        List<SeriesSet> parts = new ArrayList<>();
        for (LocalBlockStore s : reference) {
            parts.add(s.series(r));
        }
        return render(SeriesSets.merge(parts, r.getLimit()));
    }

    static final List<List<Matcher>> QUERIES = List.of(
            List.of(m("__name__", MatchType.EQUAL, "http_requests_total")),
            List.of(m("__name__", MatchType.REGEX, "http.*|up"), m("job", MatchType.NOT_EQUAL, "j1")),
            List.of(m("job", MatchType.REGEX, "j[02]"), m("path", MatchType.EQUAL, "")),
            List.of(m("__name__", MatchType.EQUAL, "up"), m("instance", MatchType.NOT_REGEX, "host-1.*")),
            List.of(m("__name__", MatchType.REGEX, ".+"), m("path", MatchType.REGEX, "/p1.*")),
            List.of(m("cluster", MatchType.EQUAL, "a"), m("__name__", MatchType.EQUAL, "cpu_seconds")),
            List.of(m("cluster", MatchType.EQUAL, "b"), m("__name__", MatchType.EQUAL, "up")),
            List.of(m("cluster", MatchType.EQUAL, "c"), m("__name__", MatchType.EQUAL, "up")),
            List.of(m("__name__", MatchType.EQUAL, "pair")),
            List.of(m("job", MatchType.EQUAL, "nonexistent")),
            List.of(m("__name__", MatchType.REGEX, "http_requests_total|up"), m("path", MatchType.NOT_EQUAL, "")),
            List.of(m("__name__", MatchType.NOT_REGEX, "cpu.*|pair"), m("job", MatchType.REGEX, ".*")),
            List.of(m("cluster", MatchType.REGEX, "a|b")));

    @Test
    void seriesMatchTheLocalBlockStoreForEveryQueryAndRange() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (BucketStore s = store(tmp.resolve("data-q"), reg, b -> { })) {
            long[][] ranges = {{0, 4 * H}, {H, 3 * H}, {2 * H - 1, 2 * H}, {5 * H, 6 * H}, {-10, 0}};
            for (List<Matcher> q : QUERIES) {
                for (long[] r : ranges) {
                    SeriesRequest req = req(r[0], r[1], q.toArray(new Matcher[0]));
                    List<String> want = expected(req);
                    assertThat(render(s.series(req))).as(q + " over " + r[0] + ".." + r[1]).isEqualTo(want);
                }
            }
            assertThat(render(s.series(req(0, 4 * H, QUERIES.get(0).get(0))))).hasSize(44);
            StoreInfo info = s.info();
            assertThat(info.minTime()).isZero();
            assertThat(info.maxTime()).isEqualTo(4 * H - 1);
            assertThat(info.labelSets()).containsExactly(Labels.of("cluster", "a", "replica", "r0"), Labels.of("cluster", "b"));
        }
    }

    /** {@link #bkt}, except that chunk reads serve {@code first} bytes and then wait for {@code release}. */
    static Bucket gatedChunks(int first, CountDownLatch release) {
        return gatedChunks(first, release, false);
    }

    /** As {@link #gatedChunks(int, CountDownLatch)}; with {@code fail} the read fails after {@code first} bytes instead. */
    static Bucket gatedChunks(int first, CountDownLatch release, boolean fail) {
        return new Bucket() {
            @Override
            public void iter(String dir, boolean recursive, Consumer<String> visitor) {
                bkt.iter(dir, recursive, visitor);
            }

            @Override
            public InputStream get(String name) {
                return bkt.get(name);
            }

            @Override
            public InputStream getRange(String name, long offset, long length) {
                InputStream in = bkt.getRange(name, offset, length);
                if (!name.contains("/chunks/")) {
                    return in;
                }
                return new FilterInputStream(in) {
                    private int served;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served >= first && fail) {
                            throw new IOException("connection reset by peer");
                        }
                        if (served >= first) {
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                        int n = super.read(b, off, served < first ? Math.min(len, first - served) : len);
                        served += Math.max(n, 0);
                        return n;
                    }
                };
            }

            @Override
            public boolean exists(String name) {
                return bkt.exists(name);
            }

            @Override
            public ObjectAttributes attributes(String name) {
                return bkt.attributes(name);
            }

            @Override
            public void upload(String name, InputStream in) {
                bkt.upload(name, in);
            }

            @Override
            public void delete(String name) {
                bkt.delete(name);
            }

            @Override
            public String name() {
                return bkt.name();
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void seriesAreHandedOutWhileTheRestOfTheirChunkReadIsStillArriving() {
        CountDownLatch release = new CountDownLatch(1);
        // Block "b" alone: one chunk read for all its series, of which only the first 4KiB arrive.
        SeriesRequest r = req(0, 4 * H, m("cluster", MatchType.EQUAL, "b"), m("__name__", MatchType.REGEX, ".+"));
        try (BucketStore s = store(gatedChunks(4096, release), tmp.resolve("data-stream"), new SimpleMeterRegistry(), b -> { })) {
            List<String> got = new ArrayList<>();
            try (SeriesSet set = s.series(r)) {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThat(set.next()).isTrue());
                assertThat(set.chunks()).isNotEmpty();
                got.add(render(set.labels(), set.chunks()));
                release.countDown();
                got.addAll(render(set));
            }
            assertThat(got).isEqualTo(expected(r)).hasSizeGreaterThan(10);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aChunkReadFailingHalfwayFailsTheSeriesAfterWhatArrived() {
        SeriesRequest r = req(0, 4 * H, m("cluster", MatchType.EQUAL, "b"), m("__name__", MatchType.REGEX, ".+"));
        try (BucketStore s = store(gatedChunks(4096, new CountDownLatch(0), true), tmp.resolve("data-fail"), new SimpleMeterRegistry(),
                b -> { })) {
            try (SeriesSet set = s.series(r)) {
                assertThat(set.next()).isTrue();
                assertThatThrownBy(() -> {
                    while (set.next()) {
                        set.chunks();
                    }
                }).isInstanceOf(ThanosException.class)
                        .hasMessageContaining("fetch series for block " + ids.get(2))
                        .hasMessageContaining("connection reset by peer")
                        .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
            }
        }
    }

    @Test
    void tinySizeEstimatesForceRefetchesWithTheSameResults() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (BucketStore s = store(tmp.resolve("data-tiny"), reg, b -> b.estimatedMaxChunkSize(16).estimatedMaxSeriesSize(16).maxGap(0))) {
            for (List<Matcher> q : QUERIES.subList(0, 5)) {
                SeriesRequest req = req(0, 4 * H, q.toArray(new Matcher[0]));
                assertThat(render(s.series(req))).as(q.toString()).isEqualTo(expected(req));
            }
            assertThat(reg.counter("thanos.bucket.store.chunk.refetches").count()).isGreaterThan(0);
            assertThat(reg.counter("thanos.bucket.store.series.refetches").count()).isGreaterThan(0);
        }
    }

    @Test
    void sizeEstimatesComeFromStatsOrAverageFileSizes() {
        io.thanosj.tsdb.block.BlockMeta m = opened.get(0).meta();
        assertThat(BucketStore.estimate(0, 16000, m, "chunks/", 0, 8)).isEqualTo(16000);
        assertThat(BucketStore.estimate(300, 16000, m, "chunks/", 10, 8)).isEqualTo(300);
        io.thanosj.tsdb.block.BlockMeta withFiles = m.withThanos(m.thanos().withFiles(List.of(
                new io.thanosj.tsdb.block.BlockMeta.File("chunks/000001", 100_000), new io.thanosj.tsdb.block.BlockMeta.File("index", 5000))));
        assertThat(BucketStore.estimate(0, 16000, withFiles, "chunks/", 1000, 8)).isEqualTo(808);
        assertThat(BucketStore.estimate(0, 16000, withFiles, "chunks/", 10, 8)).isEqualTo(16000);
        assertThat(BucketStore.estimate(0, 16000, withFiles, "chunks/", 1_000_000, 8)).isEqualTo(512);
    }

    @Test
    void requestOptionsSkipChunksReplicaLabelsAndLimit() {
        try (BucketStore s = store(tmp.resolve("data-o"), new SimpleMeterRegistry(), b -> { })) {
            SeriesRequest base = req(0, 4 * H, m("__name__", MatchType.REGEX, "up|pair"));
            for (SeriesRequest r : List.of(base.toBuilder().setSkipChunks(true).build(),
                    base.toBuilder().addWithoutReplicaLabels("replica").build(),
                    base.toBuilder().addWithoutReplicaLabels("cluster").build(),
                    base.toBuilder().setLimit(5).build())) {
                List<String> got = render(s.series(r));
                assertThat(got).as(r.toString()).isEqualTo(expected(r));
            }
            List<SeriesSets.Entry> skipped = SeriesSets.drain(s.series(base.toBuilder().setSkipChunks(true).build()));
            assertThat(skipped).isNotEmpty().allSatisfy(e -> assertThat(e.chunks()).isEmpty());
        }
    }

    @Test
    void labelNamesAndValuesMatchTheReference() {
        try (BucketStore s = store(tmp.resolve("data-l"), new SimpleMeterRegistry(), b -> { })) {
            for (List<Matcher> q : List.of(List.<Matcher>of(), QUERIES.get(0), QUERIES.get(2), QUERIES.get(6), QUERIES.get(9))) {
                LabelNamesRequest ln = LabelNamesRequest.newBuilder().setStart(0).setEnd(4 * H).addAllMatchers(Requests.toProto(q)).build();
                java.util.TreeSet<String> want = new java.util.TreeSet<>(io.thanosj.model.Utf8Order::compare);
                // With matchers, Thanos takes names and values from the matching series.
                List<SeriesSets.Entry> matching = q.isEmpty() ? List.of()
                        : SeriesSets.drain(SeriesSets.merge(reference.stream().map(r -> r.series(req(0, 4 * H, q.toArray(new Matcher[0]))
                                .toBuilder().setSkipChunks(true).build())).toList(), 0));
                if (q.isEmpty()) {
                    reference.forEach(r -> want.addAll(r.labelNames(ln).getNamesList()));
                } else {
                    matching.forEach(e -> e.labels().forEach((k, v) -> want.add(k)));
                }
                assertThat(s.labelNames(ln).getNamesList()).as("names " + q).containsExactlyElementsOf(want);
                for (String name : List.of("__name__", "job", "path", "cluster", "replica", "missing")) {
                    LabelValuesRequest lv = LabelValuesRequest.newBuilder().setLabel(name).setStart(0).setEnd(4 * H)
                            .addAllMatchers(Requests.toProto(q)).build();
                    java.util.TreeSet<String> wantV = new java.util.TreeSet<>(io.thanosj.model.Utf8Order::compare);
                    if (q.isEmpty()) {
                        reference.forEach(r -> wantV.addAll(r.labelValues(lv).getValuesList()));
                    } else {
                        matching.stream().map(e -> e.labels().get(name)).filter(v -> !v.isEmpty()).forEach(wantV::add);
                    }
                    assertThat(s.labelValues(lv).getValuesList()).as("values of " + name + " " + q).containsExactlyElementsOf(wantV);
                }
            }
        }
    }

    @Test
    void limitsFailWithResourceExhaustedBeforeFetchingData() {
        SeriesRequest r = req(0, 4 * H, m("__name__", MatchType.REGEX, ".+"));
        try (BucketStore s = store(tmp.resolve("data-lim1"), new SimpleMeterRegistry(), b -> b.maxSeries(10))) {
            assertThatThrownBy(() -> SeriesSets.drain(s.series(r))).isInstanceOf(ThanosException.class)
                    .hasMessageContaining("exceeded series limit: limit 10 violated")
                    .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
            assertThat(SeriesSets.drain(s.series(req(0, 4 * H, m("__name__", MatchType.EQUAL, "pair"))))).hasSize(2);
        }
        try (BucketStore s = store(tmp.resolve("data-lim2"), new SimpleMeterRegistry(), b -> b.maxSamples(120 * 50))) {
            bkt.calls.clear();
            assertThatThrownBy(() -> SeriesSets.drain(s.series(r))).hasMessageContaining("exceeded chunks limit: limit 50 violated");
            assertThat(bkt.calls).noneMatch(c -> c.contains("/chunks/"));
        }
        try (BucketStore s = store(tmp.resolve("data-lim3"), new SimpleMeterRegistry(), b -> b.maxBytes(100))) {
            assertThatThrownBy(() -> SeriesSets.drain(s.series(r))).hasMessageContaining("exceeded bytes limit while fetching postings");
        }
    }

    @Test
    void indexCacheServesRepeatedQueriesWithoutIndexReads() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (BucketStore s = store(tmp.resolve("data-c"), reg, b -> b.indexCache(IndexCaches.inMemory(64 << 20, reg)))) {
            SeriesRequest r = req(0, 4 * H, QUERIES.get(1).toArray(new Matcher[0]));
            List<String> first = render(s.series(r));
            bkt.calls.clear();
            assertThat(render(s.series(r))).isEqualTo(first);
            assertThat(bkt.calls).noneMatch(c -> c.contains("/index"));
            assertThat(bkt.calls).anyMatch(c -> c.contains("/chunks/"));
        }
    }

    @Test
    void withBothCachesRepeatedQueriesReadNothingFromTheBucket() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        Bucket cb = io.thanosj.cache.CachingBucket.fromYaml("type: IN-MEMORY\nconfig:\n  max_size: 64MB\n  max_item_size: 16MB\n",
                bkt, reg);
        try (BucketStore s = store(cb, tmp.resolve("data-cb"), reg, b -> b.indexCache(IndexCaches.inMemory(64 << 20, reg)))) {
            bkt.calls.clear();
            long attributes = 0;
            for (List<Matcher> q : QUERIES) {
                SeriesRequest r = req(H, 3 * H, q.toArray(new Matcher[0]));
                List<String> want = expected(r);
                assertThat(render(s.series(r))).as("cold " + q).isEqualTo(want);
                attributes += bkt.count("attributes");
                bkt.calls.clear();
                // Cached chunk ranges are decoded by the thread making the selection.
                assertThat(render(s.series(r))).as("warm " + q).isEqualTo(want);
                assertThat(bkt.calls).as("warm " + q).noneMatch(c -> c.contains("/index") || c.contains("/chunks/"));
            }
            // The chunk files' sizes came from the blocks' meta.json, not from attribute requests.
            assertThat(attributes + bkt.count("attributes")).isZero();
        }
    }

    @Test
    void sparseSelectionsAreServedChunkByChunkFromTheCachingBucket() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        Bucket cb = io.thanosj.cache.CachingBucket.fromYaml("type: IN-MEMORY\nconfig:\n  max_size: 64MB\n  max_item_size: 16MB\n",
                bkt, reg);
        try (BucketStore s = store(cb, tmp.resolve("data-sparse"), reg, b -> {})) {
            // The first and the last series of the first block's chunk file: one partition that is mostly gap.
            SeriesRequest r = req(0, 2 * H - 1, m("path", MatchType.REGEX, "/p88|/p86"));
            List<String> want = expected(r);
            assertThat(want).hasSize(2);
            assertThat(render(s.series(r))).as("cold").isEqualTo(want);
            double before = cacheGetRanges(reg);
            bkt.calls.clear();
            assertThat(render(s.series(r))).as("warm").isEqualTo(want);
            assertThat(bkt.calls).noneMatch(c -> c.contains("/chunks/"));
            // Each chunk looked up alone rather than the whole partition copied out of the cache.
            long chunks = want.stream().mapToLong(w -> w.chars().filter(c -> c == '[').count()).sum();
            assertThat(cacheGetRanges(reg) - before).isEqualTo((double) chunks);
        }
    }

    private static double cacheGetRanges(SimpleMeterRegistry reg) {
        return reg.get("thanos.store.bucket.cache.operation.requests").tag("operation", "get_range").counter().count();
    }

    @Test
    void restartReusesIndexHeadersAndLazyHeadersLoadAndUnload() throws Exception {
        Path dir = tmp.resolve("data-r");
        SimpleMeterRegistry reg1 = new SimpleMeterRegistry();
        try (BucketStore s = store(dir, reg1, b -> b.lazyIndexHeader(true, Duration.ofMillis(1)))) {
            assertThat(reg1.counter("thanos.bucket.store.indexheader.lazy.load").count()).isZero();
            assertThat(reg1.timer("thanos.bucket.store.indexheader.download.duration").count()).isEqualTo(3);
            SeriesSets.drain(s.series(req(0, 4 * H, QUERIES.get(0).get(0))));
            assertThat(reg1.counter("thanos.bucket.store.indexheader.lazy.load").count()).isEqualTo(3);
            Thread.sleep(5);
            assertThat(s.unloadIdleIndexHeaders()).isEqualTo(3);
            assertThat(s.indexHeaderHeapBytes()).isZero();
        }
        for (String id : ids) {
            assertThat(dir.resolve(id).resolve("index-header")).exists();
            assertThat(dir.resolve("meta-syncer").resolve(id).resolve("meta.json")).exists();
        }
        bkt.calls.clear();
        SimpleMeterRegistry reg2 = new SimpleMeterRegistry();
        try (BucketStore s = store(dir, reg2, b -> { })) {
            assertThat(reg2.timer("thanos.bucket.store.indexheader.download.duration").count()).isZero();
            assertThat(bkt.calls).noneMatch(c -> c.startsWith("get_range") || c.startsWith("get ") || c.startsWith("attributes"));
            assertThat(render(s.series(req(0, 4 * H, QUERIES.get(0).get(0))))).hasSize(44);
        }
    }

    @Test
    void corruptIndexHeaderOnDiskIsRebuilt() throws Exception {
        Path dir = tmp.resolve("data-x");
        try (BucketStore s = store(dir, new SimpleMeterRegistry(), b -> { })) {
            assertThat(s.numBlocks()).isEqualTo(3);
        }
        Path h = dir.resolve(ids.get(0)).resolve("index-header");
        byte[] b = Files.readAllBytes(h);
        b[20] ^= 0x7f;
        Files.write(h, b);
        try (BucketStore s = store(dir, new SimpleMeterRegistry(), x -> { })) {
            SeriesRequest r = req(0, 4 * H, QUERIES.get(1).toArray(new Matcher[0]));
            assertThat(render(s.series(r))).isEqualTo(expected(r));
        }
    }

    @Test
    void droppedBlocksDisappearOnSync() throws Exception {
        RecordingBucket own = new RecordingBucket();
        Path a = BlockFixtures.upload(own, tmp, BlockFixtures.series(10), 0, H, 60_000, Map.of("x", "1"), 0);
        Path b = BlockFixtures.upload(own, tmp, BlockFixtures.series(10), H, 2 * H, 60_000, Map.of("x", "1"), 0);
        Path data = tmp.resolve("data-d");
        MetaFetcher f = new MetaFetcher(own, data.resolve("meta-syncer"), List.of(), Executors.newFixedThreadPool(2), new SimpleMeterRegistry());
        try (BucketStore s = new BucketStore(own, f, BucketStoreOptions.builder(data).build(), new SimpleMeterRegistry())) {
            s.initialSync();
            assertThat(s.info().maxTime()).isEqualTo(2 * H - 1);
            BucketBlocks.delete(own, b.getFileName().toString());
            s.sync();
            assertThat(s.numBlocks()).isEqualTo(1);
            assertThat(s.info().maxTime()).isEqualTo(H - 1);
            assertThat(data.resolve(b.getFileName().toString())).doesNotExist();
            assertThat(data.resolve(a.getFileName().toString()).resolve("index-header")).exists();
        }
    }

    @Test
    void maxResolutionWindowPicksDownsampledBlocksAndPassesAggregates() throws Exception {
        RecordingBucket own = new RecordingBucket();
        List<Labels> series = List.of(Labels.of("__name__", "m", "i", "1"), Labels.of("__name__", "m", "i", "2"));
        BlockFixtures.upload(own, tmp, series, 0, 4 * H, 15_000, Map.of("x", "1"), 0);
        BlockFixtures.uploadDownsampled(own, tmp, series, 0, 4 * H, 300_000, Map.of("x", "1"));
        Path data = tmp.resolve("data-ds");
        MetaFetcher f = new MetaFetcher(own, data.resolve("meta-syncer"), List.of(), Executors.newFixedThreadPool(2), new SimpleMeterRegistry());
        try (BucketStore s = new BucketStore(own, f, BucketStoreOptions.builder(data).build(), new SimpleMeterRegistry())) {
            s.initialSync();
            SeriesRequest raw = req(0, 4 * H, m("__name__", MatchType.EQUAL, "m"));
            List<SeriesSets.Entry> got = SeriesSets.drain(s.series(raw));
            assertThat(got).hasSize(2);
            assertThat(got.get(0).chunks()).hasSize(4 * 240 / 120).allSatisfy(c -> assertThat(c.hasRaw()).isTrue());

            for (long window : new long[] {300_000, 3_600_000}) {
                SeriesRequest ds = raw.toBuilder().setMaxResolutionWindow(window).addAggregates(Aggr.COUNT).addAggregates(Aggr.MAX).build();
                got = SeriesSets.drain(s.series(ds));
                assertThat(got).hasSize(2);
                AggrChunk c = got.get(0).chunks().get(0);
                assertThat(got.get(0).chunks()).hasSize(1);
                assertThat(c.hasRaw()).isFalse();
                assertThat(c.hasCount() && c.hasMax()).isTrue();
                assertThat(c.hasSum() || c.hasMin() || c.hasCounter()).isFalse();
                SampleIterator it = XorChunk.wrap(c.getMax().getData().toByteArray()).iterator();
                assertThat(it.next()).isTrue();
                assertThat(it.t()).isZero();
                assertThat(it.v()).isEqualTo(BlockFixtures.aggrValue(got.get(0).labels().without("x"), 3, 0));
            }
        }
    }

    @Test
    void timeWindowLimitsWhatIsServed() {
        try (BucketStore s = store(tmp.resolve("data-w"), new SimpleMeterRegistry(),
                b -> b.timeWindow(TimeOrDuration.parse("--min-time", "1970-01-01T01:00:00Z"),
                        TimeOrDuration.parse("--max-time", "1970-01-01T02:00:00Z")))) {
            assertThat(s.info().minTime()).isEqualTo(H);
            assertThat(s.info().maxTime()).isEqualTo(2 * H);
            SeriesRequest r = req(0, 4 * H, QUERIES.get(0).get(0));
            assertThat(render(s.series(r))).isEqualTo(expected(req(H, 2 * H, QUERIES.get(0).get(0))));
        }
    }
}
