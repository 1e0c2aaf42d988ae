package io.thanosj.query;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.MatchType;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.EngineOptions;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.server.GrpcServer;
import io.thanosj.store.GrpcStoreClient;
import io.thanosj.store.InfoService;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.StoreService;
import io.thanosj.store.local.LocalBlockStore;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import picocli.CommandLine;

/** Wall-time breakdown of the query path, stage by stage (local store, gRPC, engine, HTTP). Not a test. */
public final class QueryProbe {
    interface Body { void run() throws Exception; }

    static void time(String name, int n, Body b) throws Exception {
        for (int i = 0; i < Math.max(20, n / 5); i++) b.run();
        double[] ms = new double[n];
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> before = new java.util.HashMap<>();
        for (long id : tm.getAllThreadIds()) before.put(id, tm.getThreadCpuTime(id));
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            b.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / n;
        if (Boolean.getBoolean("probe.threads")) {
            java.util.List<String> lines = new java.util.ArrayList<>();
            for (long id : tm.getAllThreadIds()) {
                long d = tm.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
                java.lang.management.ThreadInfo ti = tm.getThreadInfo(id);
                if (ti != null && d > 0) lines.add(String.format("%09d %-30s %.3f ms/op", d, ti.getThreadName(), d / 1e6 / n));
            }
            lines.sort(java.util.Comparator.reverseOrder());
            lines.stream().limit(8).forEach(l -> System.out.println("      " + l.substring(10)));
        }
        Arrays.sort(ms);
        System.out.printf("%-40s p10 %8.3f  p50 %8.3f  p90 %8.3f ms  cpu %7.3f ms%n", name, ms[n / 10], ms[n / 2], ms[n * 9 / 10], cpuMs);
    }

    static java.util.function.Supplier<List<io.thanosj.store.StoreTarget>> fixedTargets(GrpcStoreClient c) {
        List<io.thanosj.store.StoreTarget> t = List.of(new io.thanosj.store.StoreTarget("probe", c, c.info()));
        return () -> t;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("probe.runs", 200);
        Path work = Files.createTempDirectory("thanosj-probe");
        long end = (System.currentTimeMillis() / 3600_000L) * 3600_000L - 3600_000L;
        long start = end - QueryBench.RANGE;
        BlockMeta meta = QueryBench.writeDataset(Files.createDirectories(work.resolve("blocks")), start, end, 100);
        Block block = Block.open(work.resolve("blocks").resolve(meta.ulid()));
        LocalBlockStore store = new LocalBlockStore(block, Labels.of("cluster", "bench"));
        GrpcServer grpc = new GrpcServer().addInlineService(new StoreService(store, Executors.newCachedThreadPool()))
                .addInlineService(InfoService.of("store", store));
        grpc.start("--grpc-address", "127.0.0.1:0");
        NettyChannelBuilder cb = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().disableRetry();
        if (Integer.getInteger("probe.window", 0) > 0) {
            cb.initialFlowControlWindow(Integer.getInteger("probe.window"));
        }
        ManagedChannel ch = cb.build();
        GrpcStoreClient client = new GrpcStoreClient(ch, "probe", Duration.ZERO);
        ManagedChannel ch2 = io.grpc.Grpc.newChannelBuilder("127.0.0.1:" + grpc.port(), io.grpc.InsecureChannelCredentials.create()).disableRetry().build();
        System.out.println("channel builder: " + io.grpc.Grpc.newChannelBuilder("127.0.0.1:1", io.grpc.InsecureChannelCredentials.create()).getClass() + " channel " + ch2.getClass());
        GrpcStoreClient grpcClient2 = new GrpcStoreClient(ch2, "probe2", Duration.ZERO);
        io.grpc.Server inproc = io.grpc.inprocess.InProcessServerBuilder.forName("probe").directExecutor()
                .addService(new StoreService(store, Executors.newCachedThreadPool())).build().start();
        GrpcStoreClient inprocClient = new GrpcStoreClient(
                io.grpc.inprocess.InProcessChannelBuilder.forName("probe").directExecutor().build(), "inproc", Duration.ZERO);
        QueryCommand q = new QueryCommand();
        new CommandLine(q).parseArgs("--http-address=127.0.0.1:0", "--grpc-address=127.0.0.1:0", "--log.level=warn",
                "--endpoint=127.0.0.1:" + grpc.port(), "--query.max-samples=500000000");
        ComponentRuntime rt = q.start();
        HttpClient http = HttpClient.newHttpClient();
        String ours = "http://127.0.0.1:" + rt.httpPort();
        QueryBench.waitFor(http, ours + "/api/v1/stores", "\"minTime\":" + start);
        io.thanosj.store.endpoint.EndpointSet endpoints = new io.thanosj.store.endpoint.EndpointSet(
                io.thanosj.store.endpoint.EndpointSetOptions.builder().endpoints(List.of("127.0.0.1:" + grpc.port())).build());
        endpoints.start();
        while (endpoints.targets().isEmpty()) {
            Thread.sleep(50);
        }
        Engine engine = new Engine(EngineOptions.defaults().withMaxSamples(500_000_000));
        String[][] cases = {
            {"node_memory_MemTotal_bytes", "instance", "10.0.0.1:9100", "0", "node_memory_MemTotal_bytes{instance=\"10.0.0.1:9100\"}"},
            {"node_memory_MemAvailable_bytes", null, null, "3600000", "avg_over_time(node_memory_MemAvailable_bytes[1h])"},
            {"node_cpu_seconds_total", null, null, "300000", "sum by (mode) (rate(node_cpu_seconds_total[5m]))"},
            {"http_request_duration_seconds_count", "handler", "/api/v1/.*", "300000",
                "sum(rate(http_request_duration_seconds_count{handler=~\"/api/v1/.*\"}[5m]))"},
        };
        String only = System.getProperty("probe.cases", "0,1,2,3");
        for (int ci = 0; ci < cases.length; ci++) {
            if (!List.of(only.split(",")).contains("" + ci)) continue;
            String[] c = cases[ci];
            long range = Long.parseLong(c[3]);
            MatchType second = c[2] != null && c[2].contains("*") ? MatchType.REGEX : MatchType.EQUAL;
            List<Matcher> ms = c[1] == null ? List.of(Matcher.of(MatchType.EQUAL, "__name__", c[0]))
                    : List.of(Matcher.of(MatchType.EQUAL, "__name__", c[0]), Matcher.of(second, c[1], c[2]));
            SeriesRequest req = SeriesRequest.newBuilder().setMinTime(end - Math.max(range, 300_000) + 1).setMaxTime(end)
                    .addAllMatchers(Requests.toProto(ms)).build();
            System.out.println("== " + c[4]);
            int[] cnt = new int[1];
            if (Boolean.getBoolean("probe.httpOnly")) {
                String u = ours + "/api/v1/query?query=" + URLEncoder.encode(c[4], StandardCharsets.UTF_8) + "&time=" + end / 1000 + "&dedup=false";
                time("http", n, () -> http.send(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofString()));
                continue;
            }
            if (Boolean.getBoolean("probe.drainOnly")) {
                time("in-process grpc drain", n, () -> { try (SeriesSet s = inprocClient.series(req)) { while (s.next()) { s.chunks(); } } });
                time("local store drain", n, () -> { try (SeriesSet s = store.series(req)) { while (s.next()) { s.chunks(); } } });
                if (Boolean.getBoolean("probe.engineOnly")) {
                    StoreQueryable lq = new StoreQueryable(inprocClient, new QueryOptions(false, List.of(), true, 0));
                    time("engine over in-process grpc", n, () -> engine.instantQuery(lq, c[4], end).execute());
                    continue;
                }
                if (Boolean.getBoolean("probe.inprocOnly")) {
                    continue;
                }
                time("grpc client drain", n, () -> { try (SeriesSet s = client.series(req)) { while (s.next()) { s.chunks(); } } });
                continue;
            }
            time("local store drain", n, () -> { cnt[0] = 0; try (SeriesSet s = store.series(req)) { while (s.next()) { cnt[0]++; s.chunks(); } } });
            System.out.println("   series: " + cnt[0]);
            time("grpc client drain", n, () -> { try (SeriesSet s = client.series(req)) { while (s.next()) { s.chunks(); } } });
            StoreQueryable sq = new StoreQueryable(client, new QueryOptions(false, List.of(), true, 0));
            time("engine over grpc", n, () -> engine.instantQuery(sq, c[4], end).execute());
            StoreQueryable gq = new StoreQueryable(grpcClient2, new QueryOptions(false, List.of(), true, 0));
            time("engine over Grpc.newChannelBuilder channel", n, () -> engine.instantQuery(gq, c[4], end).execute());
            io.thanosj.store.ProxyStore proxy = new io.thanosj.store.ProxyStore(
                    fixedTargets(client), Runnable::run,
                    new io.thanosj.store.Limits(0, 0));
            StoreQueryable pq = new StoreQueryable(proxy, new QueryOptions(false, List.of(), true, 0));
            time("engine over proxy over grpc", n, () -> engine.instantQuery(pq, c[4], end).execute());
            StoreQueryable eq = new StoreQueryable(new io.thanosj.store.ProxyStore(endpoints::targets, Runnable::run,
                    new io.thanosj.store.Limits(0, 0)), new QueryOptions(false, List.of(), true, 0));
            time("engine over proxy over EndpointSet", n, () -> engine.instantQuery(eq, c[4], end).execute());
            java.util.concurrent.ExecutorService one = Executors.newSingleThreadExecutor();
            time("same, on another thread", n, () -> one.submit(() -> engine.instantQuery(eq, c[4], end).execute()).get());
            one.shutdown();
            String url = ours + "/api/v1/query?query=" + URLEncoder.encode(c[4], StandardCharsets.UTF_8) + "&time=" + end / 1000 + "&dedup=false";
            time("http", n, () -> http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        String v1 = ours + "/api/v1/query?query=vector(1)&time=" + end / 1000;
        time("http vector(1)", n, () -> http.send(HttpRequest.newBuilder(URI.create(v1)).build(), HttpResponse.BodyHandlers.ofString()));
        rt.close();
        grpc.close();
        ch.shutdownNow();
        block.close();
        QueryBench.deleteDir(work);
        System.exit(0);
    }
}
