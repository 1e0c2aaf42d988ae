package io.thanosj.query;

import io.thanosj.model.Labels;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.server.GrpcServer;
import io.thanosj.store.InfoService;
import io.thanosj.store.StoreService;
import io.thanosj.store.local.LocalBlockStore;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Query benchmark (issue 5): the PromQL issue's dataset (node-exporter-like metrics and a request
 * duration histogram, 6h at 15s) written as one block, served by an in-process StoreAPI endpoint over
 * the local block and queried through the real querier over HTTP (gRPC hop and JSON included), against
 * Prometheus 2.42 serving the same block. Prints per-query median latency and the geometric mean ratio.
 * Run with bench/query.sh; not a test.
 */
public final class QueryBench {
    static final long STEP = 15_000;
    static final long RANGE = 6 * 3600_000L;

    public static void main(String[] args) throws Exception {
        int instances = Integer.getInteger("bench.instances", 100);
        int runs = Integer.getInteger("bench.runs", 5);
        String prometheusBin = System.getProperty("bench.prometheus", "/usr/bin/prometheus");
        // Subsets for profiling: -Dbench.kinds=instant, -Dbench.queries=0,3 (indexes into the list below).
        List<String> kinds = List.of(System.getProperty("bench.kinds", "instant,range").split(","));
        String only = System.getProperty("bench.queries", "");
        Path work = Files.createTempDirectory("thanosj-querybench");
        long end = (System.currentTimeMillis() / 3600_000L) * 3600_000L - 3600_000L;
        long start = end - RANGE;

        long t0 = System.nanoTime();
        Path blocks = Files.createDirectories(work.resolve("blocks"));
        BlockMeta meta = writeDataset(blocks, start, end, instances);
        System.out.printf("dataset: %d series, %d samples, written in %.1f s%n", meta.stats().numSeries(),
                meta.stats().numSamples(), (System.nanoTime() - t0) / 1e9);

        // Prometheus gets its own copy of the block.
        Path promData = Files.createDirectories(work.resolve("prom"));
        copyDir(blocks.resolve(meta.ulid()), promData.resolve(meta.ulid()));
        int promPort = freePort();
        Process prom = new ProcessBuilder(prometheusBin, "--config.file=" + writePromConfig(work),
                "--storage.tsdb.path=" + promData, "--storage.tsdb.retention.time=10y",
                "--web.listen-address=127.0.0.1:" + promPort, "--query.max-samples=500000000")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();

        Block block = Block.open(blocks.resolve(meta.ulid()));
        LocalBlockStore store = new LocalBlockStore(block, Labels.of("cluster", "bench"));
        java.util.concurrent.ExecutorService pumps = Executors.newCachedThreadPool();
        GrpcServer grpc = new GrpcServer().addInlineService(new StoreService(store, pumps))
                .addInlineService(InfoService.of("store", store));
        grpc.start("--grpc-address", "127.0.0.1:0");
        QueryCommand q = new QueryCommand();
        new CommandLine(q).parseArgs("--http-address=127.0.0.1:0", "--grpc-address=127.0.0.1:0", "--log.level=warn",
                "--endpoint=127.0.0.1:" + grpc.port(), "--query.max-samples=500000000");
        ComponentRuntime rt = q.start();
        HttpClient http = HttpClient.newHttpClient();
        String ours = "http://127.0.0.1:" + rt.httpPort();
        String theirs = "http://127.0.0.1:" + promPort;
        try {
            waitReady(http, theirs + "/-/ready");
            waitFor(http, ours + "/api/v1/stores", "\"minTime\":" + start);

            String[] queries = {
                "sum by (mode) (rate(node_cpu_seconds_total[5m]))",
                "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
                "topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m])))",
                "avg_over_time(node_memory_MemAvailable_bytes[1h])",
                "sum(rate(http_request_duration_seconds_count{handler=~\"/api/v1/.*\"}[5m]))",
                "sum by (instance, mode) (rate(node_cpu_seconds_total[5m])) / on (instance) group_left sum by (instance) (rate(node_cpu_seconds_total[5m]))",
                "max_over_time(sum by (instance) (rate(node_cpu_seconds_total[5m]))[1h:1m])",
            };
            if (System.getProperty("bench.custom") != null) {
                queries = System.getProperty("bench.custom").split(";;");
            }
            // Steady state of a long-running querier: every query runs bench.warmup times on both
            // servers first. Fewer rounds measure the JIT compiling the small queries' code paths
            // (C2 needs some 10k calls of a method), which a querier in service has long done.
            int warmup = Integer.getInteger("bench.warmup", 20);
            System.out.printf("method: %d warm-up rounds of every query on both servers, then the median of %d runs"
                    + " (after 2 more warm-up calls) per query%n", warmup, runs);
            for (int w = 0; w < warmup; w++) {
                for (String kind : kinds) {
                    for (String query : queries) {
                        String params = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + (kind.equals("instant")
                                ? "&time=" + end / 1000
                                : "&start=" + start / 1000 + "&end=" + end / 1000 + "&step=60");
                        String path = kind.equals("instant") ? "/api/v1/query?" : "/api/v1/query_range?";
                        http.send(HttpRequest.newBuilder(URI.create(theirs + path + params)).build(), HttpResponse.BodyHandlers.discarding());
                        http.send(HttpRequest.newBuilder(URI.create(ours + path + params + "&dedup=false")).build(), HttpResponse.BodyHandlers.discarding());
                    }
                }
            }
            List<Double> ratios = new ArrayList<>();
            System.out.printf("%-9s %-60s %12s %12s %7s%n", "kind", "query", "prometheus", "thanosj", "ratio");
            for (String kind : kinds) {
                for (int qi = 0; qi < queries.length; qi++) {
                    String query = queries[qi];
                    if (!only.isEmpty() && !List.of(only.split(",")).contains(Integer.toString(qi))) {
                        continue;
                    }
                    String params = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + (kind.equals("instant")
                            ? "&time=" + end / 1000
                            : "&start=" + start / 1000 + "&end=" + end / 1000 + "&step=60");
                    String path = kind.equals("instant") ? "/api/v1/query?" : "/api/v1/query_range?";
                    double p = median(http, theirs + path + params, runs);
                    double o = median(http, ours + path + params + "&dedup=false", runs);
                    ratios.add(o / p);
                    System.out.printf("%-9s %-60s %9.1f ms %9.1f ms %7.2f%n", kind,
                            query.length() > 60 ? query.substring(0, 57) + "..." : query, p, o, o / p);
                }
            }
            double logSum = 0;
            for (double r : ratios) {
                logSum += Math.log(r);
            }
            System.out.printf("geometric mean ratio thanosj/prometheus: %.3f (%d queries, median of %d runs each)%n",
                    Math.exp(logSum / ratios.size()), ratios.size(), runs);
        } finally {
            rt.close();
            grpc.close();
            pumps.shutdown();
            block.close();
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
            deleteDir(work); // 150 MB per run otherwise left in /tmp
        }
    }

    /** Median wall time of full HTTP round trips (response read), after two warm-up calls; fails on errors. */
    static double median(HttpClient http, String url, int runs) throws Exception {
        double[] ms = new double[runs];
        boolean verbose = Boolean.getBoolean("bench.verbose");
        for (int i = -2; i < runs; i++) {
            long up = System.currentTimeMillis();
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            long d = System.nanoTime() - t;
            if (r.statusCode() != 200 || !r.body().contains("\"success\"")) {
                throw new IllegalStateException("query failed: " + url + " -> " + r.statusCode() + " " + r.body().substring(0, Math.min(300, r.body().length())));
            }
            if (i >= 0) {
                ms[i] = d / 1e6;
            }
            if (verbose) {
                System.out.printf("    run %d at %d: %.1f ms%n", i, up, d / 1e6);
            }
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    static BlockMeta writeDataset(Path dir, long start, long end, int instances) throws Exception {
        int n = (int) ((end - start) / STEP);
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = start + i * STEP;
        }
        double[] vs = new double[n];
        Random rnd = new Random(42);
        TreeMap<Labels, double[]> all = new TreeMap<>();
        String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
        String[] handlers = {"/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/metrics", "/-/ready"};
        double[] les = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};
        try (BlockWriter w = new BlockWriter(dir)) {
            for (int inst = 0; inst < instances; inst++) {
                String instance = "10.0." + (inst / 250) + "." + (inst % 250) + ":9100";
                for (int cpu = 0; cpu < 8; cpu++) {
                    for (String mode : modes) {
                        all.put(Labels.of("__name__", "node_cpu_seconds_total", "instance", instance, "job", "node",
                                "cpu", Integer.toString(cpu), "mode", mode), counter(rnd, n, mode.equals("idle") ? 14 : 1));
                    }
                }
                all.put(Labels.of("__name__", "node_memory_MemAvailable_bytes", "instance", instance, "job", "node"), gauge(rnd, n, 8e9));
                all.put(Labels.of("__name__", "node_memory_MemTotal_bytes", "instance", instance, "job", "node"), constant(n, 16e9));
                for (String h : handlers) {
                    double rate = 1 + rnd.nextInt(20);
                    double[] count = counter(rnd, n, rate);
                    for (double le : les) {
                        double share = le == Double.POSITIVE_INFINITY ? 1 : Math.min(1, le * 2);
                        double[] b = new double[n];
                        for (int i = 0; i < n; i++) {
                            b[i] = Math.floor(count[i] * share);
                        }
                        all.put(Labels.of("__name__", "http_request_duration_seconds_bucket", "instance", instance, "job", "api",
                                "handler", h, "le", le == Double.POSITIVE_INFINITY ? "+Inf" : io.thanosj.promql.parser.GoStrconv.formatFloatPlain(le)), b);
                    }
                    all.put(Labels.of("__name__", "http_request_duration_seconds_count", "instance", instance, "job", "api", "handler", h), count);
                }
                // Flush per instance to keep memory bounded; labels sort by __name__ first, so collect all first.
            }
            for (var e : all.entrySet()) {
                System.arraycopy(e.getValue(), 0, vs, 0, n);
                w.addSeries(e.getKey(), ts, vs, n);
            }
            return w.finish();
        }
    }

    static double[] counter(Random rnd, int n, double ratePerScrape) {
        double[] v = new double[n];
        double c = rnd.nextInt(1000);
        for (int i = 0; i < n; i++) {
            c += ratePerScrape * (0.5 + rnd.nextDouble());
            v[i] = Math.floor(c * 100) / 100;
        }
        return v;
    }

    static double[] gauge(Random rnd, int n, double base) {
        double[] v = new double[n];
        double g = base;
        for (int i = 0; i < n; i++) {
            g += (rnd.nextDouble() - 0.5) * 1e7;
            v[i] = Math.floor(g);
        }
        return v;
    }

    static double[] constant(int n, double c) {
        double[] v = new double[n];
        Arrays.fill(v, c);
        return v;
    }

    static String writePromConfig(Path work) throws Exception {
        Path cfg = work.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
        return cfg.toString();
    }

    static void copyDir(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
    }

    static void deleteDir(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitReady(HttpClient http, String url) throws Exception {
        waitFor(http, url, "");
    }

    static void waitFor(HttpClient http, String url, String needle) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains(needle)) {
                    return;
                }
            } catch (java.io.IOException ignored) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not ready: " + url);
    }
}
