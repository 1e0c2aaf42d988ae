package io.thanosj.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thanosj.model.Labels;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.QueryResult;
import io.thanosj.promql.storage.InMemoryStorage;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.server.GrpcServer;
import io.thanosj.store.InfoService;
import io.thanosj.store.StoreService;
import io.thanosj.store.local.LocalBlockStore;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The HA scenario of the query component, in one JVM on ephemeral ports: two StoreAPI endpoints
 * serve the blocks of an HA pair (same series, replica="a" and replica="b", each with a different
 * 10-minute gap), a third endpoint goes down, and the querier answers over its real HTTP API.
 */
@Tag("integration")
class TestQueryEndToEnd {
    static final long T0 = 1_700_000_000_000L - (1_700_000_000_000L % 7_200_000L);
    static final long STEP = 15_000;
    static final int SAMPLES = 2 * 3600 / 15; // two hours
    static final int SERIES = 4;
    static final long GAP_A = T0 + 33 * 60_000, GAP_B = T0 + 73 * 60_000, GAP_LEN = 10 * 60_000;

    @TempDir
    static Path tmp;

    static final ExecutorService EXEC = Executors.newCachedThreadPool();
    static final List<AutoCloseable> CLOSE = new ArrayList<>();
    static final InMemoryStorage TRUTH = new InMemoryStorage();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static GrpcServer third;
    static String base;
    static String globalBase;

    /**
     * A gauge that changes every ten minutes (at minute 5, 15, 25, ...), and a counter that grows
     * by one per scrape. Deduplication, like Thanos's, may drop up to two samples where it switches
     * replica (minutes 33, 73, and 100 where the identical last chunks of both replicas were merged
     * into one); the gauge does not change there, so every step must equal the source exactly.
     */
    static double gauge(int s, long t) {
        return s * 100 + (t - T0 + 300_000) / 600_000;
    }

    static Path writeReplica(String replica, long gapStart) {
        Path dir = tmp.resolve(replica);
        try (BlockWriter w = new BlockWriter(Files.createDirectories(dir))) {
            for (String metric : new String[] {"app_requests_total", "app_temperature"}) {
                for (int s = 0; s < SERIES; s++) {
                    long[] ts = new long[SAMPLES];
                    double[] vs = new double[SAMPLES];
                    int n = 0;
                    for (int i = 0; i < SAMPLES; i++) {
                        long t = T0 + i * STEP;
                        double v = metric.equals("app_temperature") ? gauge(s, t) : i;
                        if (replica.equals("a")) {
                            TRUTH.append(Labels.of("__name__", metric, "instance", "i" + s, "cluster", "eu"), t, v);
                        }
                        if (t >= gapStart && t < gapStart + GAP_LEN) {
                            continue;
                        }
                        ts[n] = t;
                        vs[n++] = v;
                    }
                    w.addSeries(Labels.of("__name__", metric, "instance", "i" + s), ts, vs, n);
                }
            }
            BlockMeta meta = w.finish();
            return dir.resolve(meta.ulid());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static GrpcServer serve(Path blockDir, Labels external) {
        Block block = Block.open(blockDir);
        CLOSE.add(block);
        LocalBlockStore store = new LocalBlockStore(block, external);
        GrpcServer g = new GrpcServer().addService(new StoreService(store, EXEC)).addService(InfoService.of("store", store));
        g.start("--grpc-address", "127.0.0.1:0");
        return g;
    }

    @BeforeAll
    static void start() throws Exception {
        GrpcServer a = serve(writeReplica("a", GAP_A), Labels.of("cluster", "eu", "replica", "a"));
        GrpcServer b = serve(writeReplica("b", GAP_B), Labels.of("cluster", "eu", "replica", "b"));
        third = serve(writeReplica("c", Long.MAX_VALUE), Labels.of("cluster", "us", "replica", "a"));
        CLOSE.add(a);
        CLOSE.add(b);
        QueryCommand cmd = new QueryCommand();
        new CommandLine(cmd).parseArgs("--http-address=127.0.0.1:0", "--grpc-address=127.0.0.1:0", "--log.level=warn",
                "--endpoint=127.0.0.1:" + a.port(), "--endpoint=127.0.0.1:" + b.port(), "--endpoint=127.0.0.1:" + third.port(),
                "--query.replica-label=replica");
        ComponentRuntime rt = cmd.start();
        CLOSE.add(rt);
        base = "http://127.0.0.1:" + rt.httpPort();
        // A global querier over the first one: queriers stack through their own StoreAPI.
        QueryCommand global = new QueryCommand();
        new CommandLine(global).parseArgs("--http-address=127.0.0.1:0", "--grpc-address=127.0.0.1:0", "--log.level=warn",
                "--endpoint=127.0.0.1:" + rt.grpcPort(), "--query.replica-label=replica");
        ComponentRuntime grt = global.start();
        CLOSE.add(grt);
        globalBase = "http://127.0.0.1:" + grt.httpPort();

        // Wait until the querier has seen all three endpoints.
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode stores = get("/api/v1/stores").path("data").path("store");
            if (stores.size() == 3) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(get("/api/v1/stores").path("data").path("store").size()).isEqualTo(3);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = CLOSE.size() - 1; i >= 0; i--) {
            CLOSE.get(i).close();
        }
        EXEC.shutdownNow();
    }

    static JsonNode get(String pathAndQuery) throws Exception {
        return get(base, pathAndQuery);
    }

    static JsonNode get(String server, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static JsonNode range(String query, String extra) throws Exception {
        return get("/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + (T0 / 1000 + 300) + "&end=" + (T0 / 1000 + SAMPLES * 15 - 15) + "&step=60" + extra);
    }

    /** The same range query evaluated by the engine over the gap-free source data. */
    static Map<String, Map<Long, Double>> truth(String query) {
        QueryResult.Matrix m = (QueryResult.Matrix) new Engine().rangeQuery(TRUTH, query, T0 + 300_000,
                T0 + (SAMPLES - 1) * STEP, 60_000).execute();
        Map<String, Map<Long, Double>> out = new HashMap<>();
        for (int i = 0; i < m.size(); i++) {
            Map<Long, Double> pts = new HashMap<>();
            for (int j = 0; j < m.ts().get(i).length; j++) {
                pts.put(m.ts().get(i)[j], m.vs().get(i)[j]);
            }
            out.put(m.labels().get(i).toString(), pts);
        }
        return out;
    }

    static Map<String, Map<Long, Double>> parse(JsonNode resp) {
        assertThat(resp.path("status").asText()).as(resp.toString()).isEqualTo("success");
        Map<String, Map<Long, Double>> out = new HashMap<>();
        for (JsonNode s : resp.path("data").path("result")) {
            Map<String, String> labels = new HashMap<>();
            s.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            Map<Long, Double> pts = new HashMap<>();
            for (JsonNode p : s.path("values")) {
                pts.put(Math.round(p.get(0).asDouble() * 1000), Double.parseDouble(p.get(1).asText()));
            }
            out.put(Labels.fromMap(labels).toString(), pts);
        }
        return out;
    }

    @Test
    void dedupYieldsGapFreeSeriesEqualToTheSource() throws Exception {
        Map<String, Map<Long, Double>> got = parse(range("app_temperature{cluster=\"eu\"}", "&dedup=true"));
        Map<String, Map<Long, Double>> want = truth("app_temperature");
        assertThat(got).hasSize(SERIES);
        assertThat(got.keySet()).isEqualTo(want.keySet());
        for (String k : want.keySet()) {
            for (Map.Entry<Long, Double> p : want.get(k).entrySet()) {
                assertThat(got.get(k).get(p.getKey())).as("%s at %d", k, p.getKey()).isEqualTo(p.getValue());
            }
        }
        // Every step is present: neither replica's gap shows.
        for (Map<Long, Double> pts : got.values()) {
            assertThat(pts).hasSize((int) ((SAMPLES * 15 - 15 - 300) / 60) + 1);
        }
        Map<String, Map<Long, Double>> rates = parse(range("rate(app_requests_total{cluster=\"eu\"}[5m])", "&dedup=true"));
        assertThat(rates).hasSize(SERIES);
        // Rates are exact except in the windows where dedup switched replica and dropped up to two
        // samples, which changes rate()'s extrapolation a little.
        int exact = 0, total = 0;
        for (Map<Long, Double> pts : rates.values()) {
            assertThat(pts).hasSize((int) ((SAMPLES * 15 - 15 - 300) / 60) + 1);
            for (double v : pts.values()) {
                assertThat(v).isCloseTo(1.0 / 15, org.assertj.core.data.Percentage.withPercentage(10));
                exact += Math.abs(v - 1.0 / 15) < 1e-9 ? 1 : 0;
                total++;
            }
        }
        assertThat(exact).isGreaterThanOrEqualTo(total * 9 / 10);
    }

    @Test
    void aGlobalQuerierOverTheQuerierGivesTheSameAnswer() throws Exception {
        String q = "/api/v1/query_range?query=" + URLEncoder.encode("sum by (instance) (app_temperature{cluster=\"eu\"})", StandardCharsets.UTF_8)
                + "&start=" + (T0 / 1000 + 300) + "&end=" + (T0 / 1000 + SAMPLES * 15 - 15) + "&step=60";
        long deadline = System.currentTimeMillis() + 30_000;
        // The global querier learns the first one's labels and time range from its periodic Info checks.
        while (get(globalBase, "/api/v1/stores").path("data").path("query").path(0).path("labelSets").size() < 3
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Map<String, Map<Long, Double>> direct = parse(get(q));
        assertThat(direct).hasSize(SERIES);
        assertThat(parse(get(globalBase, q))).isEqualTo(direct);
    }

    @Test
    void withoutDedupBothReplicasComeBackWithTheirGaps() throws Exception {
        Map<String, Map<Long, Double>> got = parse(range("app_temperature{cluster=\"eu\"}", "&dedup=false"));
        assertThat(got).hasSize(2 * SERIES);
        assertThat(got.keySet()).allMatch(k -> k.contains("replica=\"a\"") || k.contains("replica=\"b\""));
        String a0 = Labels.of("__name__", "app_temperature", "cluster", "eu", "instance", "i0", "replica", "a").toString();
        long missing = GAP_A + 6 * 60_000; // past the 5m lookback inside replica a's gap
        assertThat(got.get(a0)).doesNotContainKey(missing);
        assertThat(got.get(a0)).containsKey(GAP_A - 60_000);
    }

    @Test
    void aDownEndpointIsAWarningOrAnErrorPerPartialResponse() throws Exception {
        JsonNode ok = range("app_temperature", "&partial_response=true");
        assertThat(ok.path("status").asText()).isEqualTo("success");
        assertThat(ok.path("warnings")).isEmpty();
        String down = "127.0.0.1:" + third.port();
        third.close();
        JsonNode warned = range("app_temperature", "&partial_response=true");
        assertThat(warned.path("status").asText()).isEqualTo("success");
        assertThat(warned.path("warnings").toString()).contains(down);
        assertThat(parse(warned)).hasSize(SERIES);
        JsonNode failed = range("app_temperature", "&partial_response=false");
        assertThat(failed.path("status").asText()).isEqualTo("error");
        assertThat(failed.path("error").asText()).contains(down);
    }

    @Test
    void badInputIsRejectedWithPrometheusErrors() throws Exception {
        JsonNode bad = get("/api/v1/query?query=" + URLEncoder.encode("sum(rate(x[5m])", StandardCharsets.UTF_8));
        assertThat(bad.path("errorType").asText()).isEqualTo("bad_data");
        assertThat(bad.path("error").asText()).startsWith("invalid parameter \"query\": 1:");
        JsonNode step = get("/api/v1/query_range?query=up&start=0&end=100&step=-1");
        assertThat(step.path("error").asText()).contains("zero or negative query resolution step");
        JsonNode points = get("/api/v1/query_range?query=up&start=0&end=100000&step=1");
        assertThat(points.path("error").asText()).contains("11,000 points");
        JsonNode time = get("/api/v1/query?query=up&time=soon");
        assertThat(time.path("error").asText()).isEqualTo("invalid parameter \"time\": cannot parse \"soon\" to a valid timestamp");
    }
}
