package io.thanosj.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thanosj.api.QueryApi;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.EngineOptions;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.server.HttpServer;
import io.thanosj.store.endpoint.EndpointSet;
import io.thanosj.store.endpoint.EndpointSetOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Helpers shared by the store gateway's end-to-end test and benchmark: an OpenMetrics dataset,
 * an in-process store gateway and querier, and comparison of Prometheus API responses.
 */
final class StoreE2E {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StoreE2E() {}

    /**
     * {@code hours} of samples every {@code stepSec} from {@code startSec}: gauges, counters (with
     * a reset), a classic histogram and a metric whose label is missing on some series.
     * {@code scale} multiplies the number of instances.
     */
    static String openMetrics(long startSec, int hours, int stepSec, int scale) {
        StringBuilder sb = new StringBuilder(1 << 20);
        int n = hours * 3600 / stepSec;
        String[] zones = {"z1", "z2", "z3"};
        String[] les = {"0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
        sb.append("# TYPE node_temp_celsius gauge\n");
        for (int i = 0; i < 20 * scale; i++) {
            for (int k = 0; k < n; k++) {
                double v = 40 + 10 * Math.sin((k + i * 7) / 50.0) + (i % 5) * 0.37;
                sb.append("node_temp_celsius{instance=\"i-").append(i).append("\",job=\"node\",zone=\"").append(zones[i % 3])
                        .append("\"} ").append(v).append(' ').append(startSec + (long) k * stepSec).append('\n');
            }
        }
        sb.append("# TYPE http_requests counter\n");
        String[] methods = {"GET", "POST"};
        String[] codes = {"200", "404", "500"};
        for (int i = 0; i < 10 * scale; i++) {
            for (String m : methods) {
                for (String c : codes) {
                    long total = 0;
                    for (int k = 0; k < n; k++) {
                        total += (i + 1) * (c.equals("200") ? 5 : 1) + (k % 7);
                        if (i == 3 && m.equals("GET") && c.equals("200") && k == n / 2) {
                            total = 3; // counter reset
                        }
                        sb.append("http_requests_total{code=\"").append(c).append("\",instance=\"i-").append(i)
                                .append("\",job=\"api\",method=\"").append(m).append("\"} ").append(total).append(' ')
                                .append(startSec + (long) k * stepSec).append('\n');
                    }
                }
            }
        }
        sb.append("# TYPE http_request_duration_seconds histogram\n");
        for (int i = 0; i < 5 * scale; i++) {
            long[] counts = new long[les.length];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                long t = startSec + (long) k * stepSec;
                for (int b = 0; b < les.length; b++) {
                    counts[b] += (b + 1) * (i + 2) + ((k + b) % 3);
                    if (b > 0 && counts[b] < counts[b - 1]) {
                        counts[b] = counts[b - 1];
                    }
                }
                sum += 0.1 * (i + 1) + (k % 10) * 0.01;
                for (int b = 0; b < les.length; b++) {
                    sb.append("http_request_duration_seconds_bucket{instance=\"i-").append(i).append("\",job=\"api\",le=\"")
                            .append(les[b]).append("\"} ").append(counts[b]).append(' ').append(t).append('\n');
                }
                sb.append("http_request_duration_seconds_sum{instance=\"i-").append(i).append("\",job=\"api\"} ").append(sum)
                        .append(' ').append(t).append('\n');
                sb.append("http_request_duration_seconds_count{instance=\"i-").append(i).append("\",job=\"api\"} ")
                        .append(counts[les.length - 1]).append(' ').append(t).append('\n');
            }
        }
        sb.append("# TYPE up gauge\n");
        for (int i = 0; i < 6 * scale; i++) {
            for (int k = 0; k < n; k++) {
                sb.append("up{instance=\"i-").append(i).append('"').append(i % 2 == 0 ? ",env=\"prod\"" : "")
                        .append(",job=\"node\"} ").append(k % 97 == i ? 0 : 1).append(' ').append(startSec + (long) k * stepSec).append('\n');
            }
        }
        return sb.append("# EOF\n").toString();
    }

    /** A store gateway in this JVM: the real command wired into a runtime on ephemeral ports. */
    static final class Store implements AutoCloseable {
        final StoreCommand cmd = new StoreCommand();
        final ComponentRuntime rt = new ComponentRuntime("store");

        Store(String... args) throws Exception {
            try {
                new CommandLine(cmd).parseArgs(args);
                cmd.wire(rt);
                rt.start("127.0.0.1:0", "127.0.0.1:0");
            } catch (Exception e) {
                rt.close();
                throw e;
            }
        }

        void awaitReady(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!rt.prober().isReady()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("store not ready after " + timeout + ": " + rt.prober().notReadyReason());
                }
                Thread.sleep(20);
            }
        }

        double counter(String name, String... tags) {
            var c = rt.registry().find(name).tags(tags).counter();
            return c == null ? 0 : c.count();
        }

        long timerCount(String name) {
            var t = rt.registry().find(name).timer();
            return t == null ? 0 : t.count();
        }

        @Override
        public void close() {
            rt.close();
        }
    }

    /**
     * A querier in this JVM wired as the query component wires it: an endpoint set that asks the
     * store's Info in the background, the proxy, the PromQL engine and the HTTP API.
     */
    static final class Querier implements AutoCloseable {
        final EndpointSet endpoints;
        final HttpServer http;
        final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "e2e-querier");
            t.setDaemon(true);
            return t;
        });

        Querier(int storeGrpcPort) {
            endpoints = new EndpointSet(EndpointSetOptions.builder().endpoints(List.of("127.0.0.1:" + storeGrpcPort)).build());
            endpoints.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (endpoints.targets().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("store endpoint not discovered: " + endpoints.status());
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            ProxyStore proxy = new ProxyStore(endpoints::targets, pool, Limits.NONE);
            Engine engine = new Engine(EngineOptions.defaults());
            QueryApi api = new QueryApi(engine, proxy, new QueryApi.Defaults(List.of(), false, Duration.ofMinutes(2)), Map.of(), List::of);
            HttpServer.Builder b = HttpServer.builder();
            api.register(b);
            http = b.build().start("--http-address", "127.0.0.1:0");
        }

        String url() {
            return "http://127.0.0.1:" + http.port();
        }

        @Override
        public void close() throws InterruptedException {
            http.close();
            endpoints.close();
            pool.shutdownNow();
        }
    }

    static String get(String base, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + base + pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String instant(String q, double t) {
        return "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time=" + t;
    }

    static String range(String q, double start, double end, int step) {
        return "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end
                + "&step=" + step;
    }

    /**
     * Differences between two API responses' {@code data}: result type, series (by labels) and
     * their points, values equal within a relative 1e-9; empty when they agree.
     */
    static List<String> diff(String wantJson, String gotJson) throws IOException {
        JsonNode want = JSON.readTree(wantJson).path("data");
        JsonNode got = JSON.readTree(gotJson).path("data");
        List<String> out = new ArrayList<>();
        if (!want.path("resultType").equals(got.path("resultType"))) {
            out.add("resultType " + want.path("resultType") + " vs " + got.path("resultType"));
            return out;
        }
        if (!want.path("result").isArray()) {
            if (!samePoint(want.path("result"), got.path("result"))) {
                out.add("scalar " + want.path("result") + " vs " + got.path("result"));
            }
            return out;
        }
        Map<String, JsonNode> w = bySeries(want.path("result"));
        Map<String, JsonNode> g = bySeries(got.path("result"));
        if (!w.keySet().equals(g.keySet())) {
            out.add("series " + w.keySet() + " vs " + g.keySet());
            return out;
        }
        for (Map.Entry<String, JsonNode> e : w.entrySet()) {
            JsonNode a = e.getValue();
            JsonNode b = g.get(e.getKey());
            if (a.has("value")) {
                if (!samePoint(a.get("value"), b.get("value"))) {
                    out.add(e.getKey() + ": " + a.get("value") + " vs " + b.get("value"));
                }
            } else {
                JsonNode av = a.get("values");
                JsonNode bv = b.get("values");
                if (av.size() != bv.size()) {
                    out.add(e.getKey() + ": " + av.size() + " points vs " + bv.size());
                    continue;
                }
                for (int i = 0; i < av.size(); i++) {
                    if (!samePoint(av.get(i), bv.get(i))) {
                        out.add(e.getKey() + " point " + i + ": " + av.get(i) + " vs " + bv.get(i));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, JsonNode> bySeries(JsonNode result) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode s : result) {
            out.put(new TreeMap<>(JSON.convertValue(s.path("metric"), Map.class)).toString(), s);
        }
        return out;
    }

    private static boolean samePoint(JsonNode a, JsonNode b) {
        if (a == null || b == null || a.size() != 2 || b.size() != 2) {
            return a != null && a.equals(b);
        }
        if (a.get(0).asDouble() != b.get(0).asDouble()) {
            return false;
        }
        String x = a.get(1).asText();
        String y = b.get(1).asText();
        if (x.equals(y)) {
            return true;
        }
        try {
            double dx = Double.parseDouble(x);
            double dy = Double.parseDouble(y);
            return Math.abs(dx - dy) <= 1e-9 * Math.max(1, Math.max(Math.abs(dx), Math.abs(dy)));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
