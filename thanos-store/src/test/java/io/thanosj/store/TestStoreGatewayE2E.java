package io.thanosj.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.objstore.S3ProxyServer;
import io.thanosj.prometheus.PrometheusProcess;
import io.thanosj.tsdb.bucket.BucketBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks made by promtool, uploaded to S3 (S3Proxy), served by the store gateway and queried
 * through the querier's HTTP API, must give the same answers as Prometheus 2.42 reading the same
 * blocks; a restart must reuse the index-headers on disk.
 */
@Tag("integration")
class TestStoreGatewayE2E {
    /** 2023-06-01T00:00:00Z, aligned to Prometheus's 2h blocks. */
    static final long START = 1_685_577_600L;
    static final int HOURS = 6;

    static final List<String> QUERIES = List.of(
            "node_temp_celsius",
            "node_temp_celsius{instance=~\"i-1.*\"}",
            "node_temp_celsius{zone!=\"z1\"}",
            "{__name__=~\"node_.*\", zone!~\"z1|z2\"}",
            "http_requests_total{code=~\"5..\", method!=\"POST\"}",
            "rate(http_requests_total[5m])",
            "sum by (code) (rate(http_requests_total[5m]))",
            "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[10m])))",
            "topk(3, node_temp_celsius)",
            "node_temp_celsius offset 1h",
            "sum(rate(http_requests_total{code=\"200\"}[5m] offset 30m))",
            "avg_over_time(node_temp_celsius{zone=\"z2\"}[30m])",
            "up{env=\"\"}",
            "count by (job) (up == 1)",
            "max by (instance) (http_request_duration_seconds_count)");

    @TempDir
    Path tmp;

    @Test
    void storeGatewayAnswersLikePrometheusAndRestartsFromItsIndexHeaders() throws Exception {
        PrometheusProcess.requireBinaries();
        Path blocks = tmp.resolve("blocks");
        PrometheusProcess.createBlocks(blocks, StoreE2E.openMetrics(START, HOURS, 15, 1));
        List<Path> dirs;
        try (Stream<Path> s = Files.list(blocks)) {
            dirs = s.filter(p -> Files.exists(p.resolve("meta.json"))).sorted().toList();
        }
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(3);

        try (S3ProxyServer s3 = new S3ProxyServer()) {
            s3.createBucket("e2e");
            String yaml = s3.yaml("e2e", "");
            try (Bucket up = BucketFactory.create(yaml, new SimpleMeterRegistry())) {
                for (Path d : dirs) {
                    BucketBlocks.upload(up, d, true);
                }
            }
            Path promData = tmp.resolve("prom");
            copyTree(blocks, promData);
            int port = PrometheusProcess.freePort();
            Path cfg = tmp.resolve("prometheus.yml");
            Files.writeString(cfg, "global:\n  scrape_interval: 1h\n");
            Path dataDir = tmp.resolve("store-data");
            String[] args = {"--objstore.config=" + yaml, "--data-dir=" + dataDir, "--log.level=warn"};
            try (PrometheusProcess prom = PrometheusProcess.start(promData, cfg, port, "--storage.tsdb.retention.time=100y")) {
                try (StoreE2E.Store store = new StoreE2E.Store(args)) {
                    store.awaitReady(Duration.ofSeconds(30));
                    assertThat(store.cmd.bucketStore().numBlocks()).isEqualTo(dirs.size());
                    assertThat(store.timerCount("thanos.bucket.store.indexheader.download.duration")).isEqualTo(dirs.size());
                    try (StoreE2E.Querier q = new StoreE2E.Querier(store.rt.grpcPort())) {
                        List<String> diffs = compareAll(prom.url(), q.url(), QUERIES);
                        assertThat(diffs).isEmpty();
                    }
                    // Whole objects read: each meta.json and (missing) deletion-mark.json; index and
                    // chunk files only by range.
                    assertThat(store.counter("thanos.objstore.bucket.operations", "operation", "get"))
                            .isEqualTo(2 * dirs.size());
                }
                try (StoreE2E.Store store = new StoreE2E.Store(args)) {
                    store.awaitReady(Duration.ofSeconds(30));
                    assertThat(store.timerCount("thanos.bucket.store.indexheader.download.duration")).isZero();
                    assertThat(store.counter("thanos.objstore.bucket.operations", "operation", "get_range")).isZero();
                    assertThat(store.counter("thanos.objstore.bucket.operations", "operation", "attributes")).isZero();
                    // Only the deletion marks; meta.json files come from the data dir.
                    assertThat(store.counter("thanos.objstore.bucket.operations", "operation", "get")).isEqualTo(dirs.size());
                    try (StoreE2E.Querier q = new StoreE2E.Querier(store.rt.grpcPort())) {
                        assertThat(compareAll(prom.url(), q.url(), QUERIES.subList(0, 3))).isEmpty();
                    }
                }
            }
        }
    }

    /** Instant queries at three times and one range query per expression; returns the differences. */
    static List<String> compareAll(String prom, String ours, List<String> queries) throws Exception {
        List<String> diffs = new ArrayList<>();
        double[] times = {START + 3600 + 7.5, START + 3 * 3600, START + HOURS * 3600 - 1};
        for (String q : queries) {
            for (double t : times) {
                String path = StoreE2E.instant(q, t);
                for (String d : StoreE2E.diff(StoreE2E.get(prom, path), StoreE2E.get(ours, path))) {
                    diffs.add(q + " @" + t + ": " + d);
                }
            }
            String path = StoreE2E.range(q, START + 1800, START + (HOURS - 0.5) * 3600, 300);
            String want = StoreE2E.get(prom, path);
            if (StoreE2E.JSON.readTree(want).path("data").path("result").isEmpty()) {
                diffs.add(q + ": Prometheus returned no series, so the comparison would prove nothing");
            }
            for (String d : StoreE2E.diff(want, StoreE2E.get(ours, path))) {
                diffs.add(q + " range: " + d);
            }
        }
        return diffs;
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
    }
}
