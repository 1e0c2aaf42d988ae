package io.thanosj.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.prometheus.PrometheusProcess;
import io.thanosj.proto.infopb.InfoResponse;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelMatcher;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.store.GrpcStoreClient;
import io.thanosj.store.SeriesSets;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.chunk.XorChunk;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The sidecar end to end with a real Prometheus 2.42: StoreAPI over gRPC returns Prometheus's own
 * samples, blocks reach a filesystem bucket once, config and rule changes are reloaded, and a
 * Prometheus that goes away makes the sidecar not ready.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestSidecar {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;
    static long start;
    static long end;
    static PrometheusProcess prom;
    static Path data;
    static Path template;
    static Path bucketDir;
    static Running sidecar;

    /** A sidecar running in this JVM. */
    record Running(SidecarCommand cmd, ComponentRuntime rt, ManagedChannel channel, GrpcStoreClient client) implements AutoCloseable {
        String http(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        int status(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            rt.close();
        }
    }

    static SidecarCommand command(Map<String, String> env, String... args) {
        SidecarCommand cmd = new SidecarCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.env = env::get;
        return cmd;
    }

    static Running run(SidecarCommand cmd) throws Exception {
        ComponentRuntime rt = new ComponentRuntime("sidecar");
        rt.grpcGracePeriod(0);
        try {
            cmd.wire(rt);
            rt.start("127.0.0.1:0", "127.0.0.1:0");
        } catch (Exception e) {
            rt.close();
            throw e;
        }
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", rt.grpcPort()).usePlaintext().build();
        return new Running(cmd, rt, ch, new GrpcStoreClient(ch, "sidecar", Duration.ofSeconds(30)));
    }

    static String[] sidecarArgs(String promUrl) {
        return new String[] {"--prometheus.url=" + promUrl, "--tsdb.path=" + data,
            "--objstore.config=type: FILESYSTEM\nconfig:\n  directory: " + bucketDir + "\n",
            "--prometheus.get_config_interval=1s", "--shipper.sync-interval=1s",
            "--reloader.config-file=" + template, "--reloader.config-envsubst-file=" + data.resolveSibling("prometheus.yml"),
            "--reloader.rule-dir=" + tmp.resolve("rules"), "--reloader.retry-interval=1s"};
    }

    static String config(int port, String replica, String extraLabel) {
        return PrometheusProcess.selfScrapeConfig(port, "cluster", "test", "replica", replica)
                .replace("  external_labels:\n", "  external_labels:\n" + extraLabel)
                + "rule_files:\n  - " + tmp.resolve("rules") + "/*.yml\n";
    }

    @BeforeAll
    static void startAll() throws Exception {
        PrometheusProcess.requireBinaries();
        long now = System.currentTimeMillis();
        start = (now - 6 * 3_600_000L) / 3_600_000L * 3_600_000L;
        end = start + 3 * 3_600_000L - 15_000;
        data = tmp.resolve("data");
        bucketDir = tmp.resolve("bucket");
        Files.createDirectories(tmp.resolve("rules"));
        StringBuilder om = new StringBuilder("# TYPE m gauge\n");
        for (long t = start; t <= end; t += 15_000) {
            long i = (t - start) / 15_000;
            for (String inst : new String[] {"a", "b"}) {
                om.append("m{instance=\"").append(inst).append("\"} ").append(i % 50 * 0.5 + inst.length())
                        .append(' ').append(t / 1000).append('\n');
            }
        }
        PrometheusProcess.createBlocks(data, om.append("# EOF\n").toString());
        int port = PrometheusProcess.freePort();
        template = tmp.resolve("prometheus.yml.tmpl");
        Files.writeString(template, config(port, "$(REPLICA)", ""));
        // Prometheus reads what the reloader writes; write its first version as a deployment's init step would.
        Files.writeString(data.resolveSibling("prometheus.yml"), config(port, "r0", ""));
        prom = PrometheusProcess.start(data, data.resolveSibling("prometheus.yml"), port);
        sidecar = run(command(Map.of("REPLICA", "r0"), sidecarArgs(prom.url())));
        sidecar.cmd().started.get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopAll() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (prom != null) {
            prom.close();
        }
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    void storeApiOverGrpcReturnsPrometheussOwnSamples() throws Exception {
        assertThat(sidecar.status("/-/ready")).isEqualTo(200);
        InfoResponse info = sidecar.client().rawInfo(Duration.ofSeconds(5));
        assertThat(info.getComponentType()).isEqualTo("sidecar");
        assertThat(sidecar.client().info().labelSets()).containsExactly(Labels.of("cluster", "test", "replica", "r0"));
        assertThat(info.getStore().getMinTime()).isEqualTo(start);

        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end)
                .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("m")).build();
        List<SeriesSets.Entry> got = SeriesSets.drain(sidecar.client().series(r));
        assertThat(got).extracting(SeriesSets.Entry::labels).containsExactly(
                Labels.of("__name__", "m", "cluster", "test", "instance", "a", "replica", "r0"),
                Labels.of("__name__", "m", "cluster", "test", "instance", "b", "replica", "r0"));

        // Prometheus's query_range at the samples' own 15s grid evaluates to exactly the raw samples.
        JsonNode res = JSON.readTree(prom.get("/api/v1/query_range?query=m&start=" + start / 1000 + "&end=" + end / 1000
                + "&step=15")).path("data").path("result");
        Map<Labels, List<String>> want = new LinkedHashMap<>();
        for (JsonNode s : res) {
            Map<String, String> m = new LinkedHashMap<>();
            s.path("metric").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
            m.put("__name__", "m");
            List<String> pts = new ArrayList<>();
            s.path("values").forEach(v -> pts.add(v.get(0).asLong() * 1000 + "=" + Double.parseDouble(v.get(1).asText())));
            want.put(new LabelsBuilder(Labels.fromMap(m)).set("cluster", "test").set("replica", "r0").build(), pts);
        }
        assertThat(want).hasSize(2);
        for (SeriesSets.Entry e : got) {
            List<String> pts = new ArrayList<>();
            for (AggrChunk c : e.chunks()) {
                SampleIterator it = XorChunk.wrap(c.getRaw().getData().toByteArray()).iterator();
                while (it.next()) {
                    if (it.t() >= start && it.t() <= end) {
                        pts.add(it.t() + "=" + it.v());
                    }
                }
            }
            assertThat(pts).as("samples of %s", e.labels()).hasSize(720).containsExactlyElementsOf(want.get(e.labels()));
        }
    }

    @Test
    @Order(1)
    void promqlThroughTheSidecarMatchesPrometheussOwnApi() throws Exception {
        String[] queries = {"m", "rate(m[5m])", "sum by (instance) (m)", "max_over_time(m[10m])", "m offset 5m",
            "avg(m) + 1", "m > 10", "count_over_time(m[2m])", "topk(1, m)"};
        io.thanosj.query.StoreQueryable q = new io.thanosj.query.StoreQueryable(sidecar.client(),
                new io.thanosj.query.QueryOptions(true, List.of("replica"), false, 0));
        long from = start + 600_000, to = end;
        for (String query : queries) {
            JsonNode res = JSON.readTree(prom.get("/api/v1/query_range?query=" + java.net.URLEncoder.encode(query,
                    java.nio.charset.StandardCharsets.UTF_8) + "&start=" + from / 1000 + "&end=" + to / 1000 + "&step=60"))
                    .path("data").path("result");
            Map<Labels, Map<Long, Double>> want = new LinkedHashMap<>();
            for (JsonNode ser : res) {
                Map<String, String> m = new LinkedHashMap<>();
                ser.path("metric").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                Map<Long, Double> pts = new LinkedHashMap<>();
                ser.path("values").forEach(v -> pts.put(v.get(0).asLong() * 1000, Double.parseDouble(v.get(1).asText())));
                want.put(Labels.fromMap(m), pts);
            }
            var got = (io.thanosj.promql.engine.QueryResult.Matrix) new io.thanosj.promql.engine.Engine()
                    .rangeQuery(q, query, from, to, 60_000).execute();
            Map<Labels, Map<Long, Double>> ours = new LinkedHashMap<>();
            for (int i = 0; i < got.size(); i++) {
                Map<Long, Double> pts = new LinkedHashMap<>();
                for (int j = 0; j < got.ts().get(i).length; j++) {
                    pts.put(got.ts().get(i)[j], got.vs().get(i)[j]);
                }
                // External labels aside, as the issue says: Prometheus's own API does not show them.
                ours.put(got.labels().get(i).without("cluster"), pts);
            }
            assertThat(want).as(query).isNotEmpty();
            assertThat(ours.keySet()).as(query).isEqualTo(want.keySet());
            for (Labels l : want.keySet()) {
                assertThat(ours.get(l).keySet()).as("%s %s", query, l).isEqualTo(want.get(l).keySet());
                for (Map.Entry<Long, Double> e : want.get(l).entrySet()) {
                    assertThat(ours.get(l).get(e.getKey())).as("%s %s at %d", query, l, e.getKey())
                            .isCloseTo(e.getValue(), org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }

    @Test
    @Order(2)
    void blocksReachTheBucketOnceWithThanosMeta() throws Exception {
        List<String> local;
        try (Stream<Path> s = Files.list(data)) {
            local = s.map(p -> p.getFileName().toString()).filter(n -> n.length() == 26).sorted().toList();
        }
        assertThat(local).hasSize(2);
        await("both blocks uploaded", () -> local.stream().allMatch(id -> Files.exists(bucketDir.resolve(id).resolve("meta.json"))));
        for (String id : local) {
            BlockMeta m = BlockMeta.readFromDir(bucketDir.resolve(id));
            assertThat(m.thanos().labels()).isEqualTo(Map.of("cluster", "test", "replica", "r0"));
            assertThat(m.thanos().source()).isEqualTo("sidecar");
            assertThat(m.thanos().downsampleResolution()).isZero();
            assertThat(m.thanos().files()).contains(new BlockMeta.File("index", Files.size(data.resolve(id).resolve("index"))),
                    new BlockMeta.File("chunks/000001", Files.size(data.resolve(id).resolve("chunks/000001"))));
            assertThat(Files.size(bucketDir.resolve(id).resolve("index"))).isEqualTo(Files.size(data.resolve(id).resolve("index")));
        }
        await("upload recorded", () -> {
            try {
                return Files.readString(data.resolve("thanos.shipper.json")).contains(local.get(1));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(sidecar.http("/metrics")).contains("thanos_shipper_uploads_total 2.0").contains("thanos_sidecar_prometheus_up 1.0");

        // A restarted sidecar uploads nothing again.
        long[] mtimes = {Files.getLastModifiedTime(bucketDir.resolve(local.get(0)).resolve("meta.json")).toMillis()};
        try (Running again = run(command(Map.of("REPLICA", "r0"), sidecarArgs(prom.url())))) {
            again.cmd().started.get(30, TimeUnit.SECONDS);
            await("a shipper round", () -> {
                try {
                    return again.http("/metrics").contains("thanos_shipper_dir_syncs_total 1.0");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(again.http("/metrics")).contains("thanos_shipper_uploads_total 0.0");
        }
        assertThat(Files.getLastModifiedTime(bucketDir.resolve(local.get(0)).resolve("meta.json")).toMillis()).isEqualTo(mtimes[0]);
    }

    @Test
    @Order(3)
    void configAndRuleChangesAreReloaded() throws Exception {
        Files.writeString(tmp.resolve("rules").resolve("r.yml"),
                "groups:\n  - name: sidecar-test\n    rules:\n      - record: m_sum\n        expr: sum(m)\n");
        await("rule group loaded", () -> get(prom, "/api/v1/rules").contains("sidecar-test"));
        Files.writeString(template, config(prom.port(), "$(REPLICA)", "    env: '$(REPLICA)-dev'\n"));
        await("external label reloaded into the sidecar's info", () ->
                sidecar.client().info().labelSets().equals(List.of(Labels.of("cluster", "test", "env", "r0-dev", "replica", "r0"))));
        assertThat(Files.readString(data.resolveSibling("prometheus.yml"))).contains("env: 'r0-dev'");
        assertThat(sidecar.http("/metrics")).contains("thanos_sidecar_reloader_reloads_total");
    }

    @Test
    @Order(4)
    void prometheusDownMeansNotReadyAndUnavailable() throws Exception {
        prom.stop();
        try {
            await("sidecar not ready", () -> {
                try {
                    return sidecar.status("/-/ready") == 503;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(sidecar.http("/-/ready")).contains(prom.url());
            assertThat(sidecar.http("/metrics")).contains("thanos_sidecar_prometheus_up 0.0");
            SeriesRequest r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end)
                    .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("m")).build();
            assertThatThrownBy(() -> SeriesSets.drain(sidecar.client().series(r)))
                    .isInstanceOf(ThanosException.class)
                    .hasMessageContaining("unavailable").hasMessageContaining(prom.url())
                    .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        } finally {
            prom.restart();
        }
        await("sidecar ready again", () -> {
            try {
                return sidecar.status("/-/ready") == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(5)
    void refusesToRunWithoutExternalLabelsOrPrometheus() throws Exception {
        Path d2 = tmp.resolve("bare");
        int port = PrometheusProcess.freePort();
        Files.createDirectories(d2);
        Path cfg = tmp.resolve("bare.yml");
        Files.writeString(cfg, PrometheusProcess.selfScrapeConfig(port));
        try (PrometheusProcess bare = PrometheusProcess.start(d2, cfg, port);
             Running s = run(command(Map.of(), "--prometheus.url=" + bare.url(), "--tsdb.path=" + d2))) {
            assertThatThrownBy(() -> s.cmd().started.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(ThanosException.class)
                    .hasMessageStartingWith("no external labels configured on Prometheus server at " + bare.url());
        }
        String dead = "http://127.0.0.1:" + PrometheusProcess.freePort();
        try (Running s = run(command(Map.of(), "--prometheus.url=" + dead, "--prometheus.ready_timeout=1s"))) {
            assertThatThrownBy(() -> s.cmd().started.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ThanosException.class)
                    .hasMessageContaining("wait for prometheus at " + dead + ": not reachable within --prometheus.ready_timeout=1s");
        }
        assertThatThrownBy(() -> run(command(Map.of(), sidecarArgs(prom.url()))))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining("found reference to unset environment variable \"REPLICA\"");
    }

    static String get(PrometheusProcess p, String path) {
        try {
            return p.get(path);
        } catch (Exception e) {
            return "";
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
