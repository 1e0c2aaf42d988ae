package io.thanosj.store;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.Labels;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.objstore.S3ProxyServer;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.bucket.BucketBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A profiling loop over the store benchmark's dataset without Prometheus: per query, the cold run
 * on a fresh store, then the median of {@code -Dprofile.runs} warm runs, split into time spent in
 * the store's Series calls and the rest (querier, engine, HTTP), with bucket requests per run.
 * Run under JFR to see where a query spends its time. Arguments: instances, then query indexes
 * of {@link StoreBenchmark#QUERIES} (all when none). {@code -Dprofile.coldRuns=N}: each query's
 * cold run on N fresh stores (median and minimum), after one other query, or with
 * {@code -Dprofile.coldAfterAll=true} after the queries before it in the benchmark's order (the
 * caches the benchmark's cold run finds); {@code -Dprofile.cb=} (empty) for no caching bucket, as
 * in the benchmark's cold column; {@code -Dprofile.coldAlone=true}: the query first on each fresh
 * store, as the benchmark's cold figure runs it. The warm-up lasts until the JIT settles
 * ({@link JitSettle}). {@code -Dprofile.jfr=FILE} records the measured part with JFR's
 * {@code profile} settings (or {@code -Dprofile.jfrSettings=FILE.jfc}).
 */
public final class StoreProfile {
    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<Integer> which = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            which.add(Integer.parseInt(args[i]));
        }
        if (which.isEmpty()) {
            for (int i = 0; i < StoreBenchmark.QUERIES.size(); i++) {
                which.add(i);
            }
        }
        int runs = Integer.getInteger("profile.runs", 20);
        String cachingBucket = System.getProperty("profile.cb", "type: IN-MEMORY\nconfig:\n  max_size: 1GB\n  max_item_size: 16MB\n");
        Path tmp = Files.createTempDirectory("thanosj-store-profile-");
        try {
            List<Labels> series = StoreBenchmark.series(instances);
            Path blocks = tmp.resolve("blocks");
            Files.createDirectories(blocks);
            StoreBenchmark.writeBlocks(blocks, series);
            List<Path> dirs;
            try (var s = Files.list(blocks)) {
                dirs = s.filter(p -> Files.exists(p.resolve(BlockMeta.FILENAME))).sorted().toList();
            }
            try (S3ProxyServer s3 = new S3ProxyServer()) {
                s3.createBucket("bench");
                String yaml = s3.yaml("bench", "");
                try (Bucket up = BucketFactory.create(yaml, new SimpleMeterRegistry())) {
                    for (Path d : dirs) {
                        BucketBlocks.upload(up, d, true);
                    }
                }
                List<String> base = new ArrayList<>(List.of("--objstore.config=" + yaml, "--log.level=warn"));
                if (!cachingBucket.isEmpty()) {
                    base.add("--store.caching-bucket.config=" + cachingBucket);
                }
                // JIT warm-up on a throwaway store.
                StoreBenchmark.warmObjstoreClient(yaml, dirs.get(0).getFileName() + "/index",
                        Integer.getInteger("profile.objstoreWarmup", 10_000));
                try (StoreE2E.Store w = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("warmup"), "--index-cache-size=0B"));
                     StoreE2E.Querier q = new StoreE2E.Querier(w.rt.grpcPort())) {
                    w.awaitReady(Duration.ofMinutes(1));
                    int rounds = JitSettle.run(Integer.getInteger("profile.warmup", 3), () -> {
                        for (int i : which) {
                            StoreE2E.get(q.url(), path(i));
                        }
                    });
                    System.out.printf("JIT warm-up: %d rounds%n", rounds);
                }
                int direct = Integer.getInteger("profile.direct", 0);
                if (direct > 0) {
                    direct(base, tmp, which, direct);
                    return;
                }
                if (Boolean.getBoolean("profile.split")) {
                    split(base, tmp, which, runs);
                    return;
                }
                int coldRuns = Integer.getInteger("profile.coldRuns", 0);
                jdk.jfr.Recording jfr = null;
                if (System.getProperty("profile.jfr") != null) {
                    // Recorded from here on, so the profile shows the measured runs, not the warm-up.
                    String settings = System.getProperty("profile.jfrSettings");
                    jdk.jfr.Recording rec = new jdk.jfr.Recording(settings == null
                            ? jdk.jfr.Configuration.getConfiguration("profile") : jdk.jfr.Configuration.create(Path.of(settings)));
                    rec.setDestination(Path.of(System.getProperty("profile.jfr")));
                    rec.start();
                    // Stopped (and written) when the measured part ends, not in a shutdown hook: JFR's own
                    // hook may stop it first and leave the file empty.
                    jfr = rec;
                }
                if (coldRuns > 0) {
                    // Each query first on a fresh store (empty caches, index-headers on disk but not mapped).
                    System.out.printf("%-3s %9s %9s %9s %9s %7s %7s%n", "q", "cold ms", "min ms", "store ms", "min ms", "rq", "gc ms");
                    for (int i : which) {
                        double[] c = new double[coldRuns];
                        double[] st = new double[coldRuns];
                        double rq = 0;
                        long gc = 0;
                        for (int k = 0; k < coldRuns; k++) {
                            try (StoreE2E.Store store = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("cold")));
                                 StoreE2E.Querier q = new StoreE2E.Querier(store.rt.grpcPort())) {
                                store.awaitReady(Duration.ofMinutes(1));
                                // A query on other series first, as in the benchmark where the store and
                                // querier have answered earlier queries before this one runs cold.
                                // With -Dprofile.coldAfterAll, the queries before it in the benchmark's order,
                                // as the benchmark's cold run of this query finds the store's caches.
                                if (Boolean.getBoolean("profile.coldAlone")) {
                                    // nothing before: the query is the fresh store's first
                                } else if (Boolean.getBoolean("profile.coldAfterAll")) {
                                    for (int j = 0; j < i; j++) {
                                        millis(q.url(), path(j));
                                    }
                                } else {
                                    millis(q.url(), path(i == 8 ? 6 : 8));
                                }
                                double r0 = requests(store);
                                double s0 = storeMillis(store);
                                long g0 = gcMillis();
                                c[k] = millis(q.url(), path(i));
                                gc += gcMillis() - g0;
                                st[k] = storeMillis(store) - s0;
                                rq += requests(store) - r0;
                            }
                        }
                        System.out.printf("%-3d %9.2f %9.2f %9.2f %9.2f %7.1f %7.2f%n", i, median(c), min(c), median(st), min(st),
                                rq / coldRuns, gc / (double) coldRuns);
                    }
                    stop(jfr);
                    return;
                }
                try (StoreE2E.Store store = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("store")));
                     StoreE2E.Querier q = new StoreE2E.Querier(store.rt.grpcPort())) {
                    store.awaitReady(Duration.ofMinutes(1));
                    System.out.printf("%-3s %9s %9s %9s %9s %7s %7s %8s%n", "q", "cold ms", "warm ms", "store ms", "rest ms",
                            "cold rq", "warm rq", "ms/rq");
                    for (int i : which) {
                        double r0 = requests(store);
                        double cold = millis(q.url(), path(i));
                        double r1 = requests(store);
                        double[] w = new double[runs];
                        double[] st = new double[runs];
                        var osb = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                        long cpu0 = osb.getProcessCpuTime();
                        for (int k = 0; k < runs; k++) {
                            double s0 = storeMillis(store);
                            w[k] = millis(q.url(), path(i));
                            st[k] = storeMillis(store) - s0;
                        }
                        // CPU of the whole process (querier, store, S3Proxy, JIT, GC) per run.
                        System.out.printf("q%d process cpu per warm run %.2f ms%n", i, (osb.getProcessCpuTime() - cpu0) / 1e6 / runs);
                        double r2 = requests(store);
                        double wm = median(w);
                        double sm = median(st);
                        System.out.printf("%-3d %9.2f %9.2f %9.2f %9.2f %7.0f %7.1f %8.2f%n", i, cold, wm, sm, wm - sm, r1 - r0,
                                (r2 - r1) / runs, rangeMillis(store));
                    }
                }
                stop(jfr);
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void stop(jdk.jfr.Recording jfr) {
        if (jfr != null) {
            jfr.stop();
            jfr.close();
        }
    }

    /** Each query's selector as a Series request, as the querier sends it. */
    static io.thanosj.proto.storepb.SeriesRequest request(int i) {
        String[][] m = switch (i) {
            case 0 -> new String[][] {{"=", "__name__", "http_requests_total"}};
            case 1 -> new String[][] {{"=", "__name__", "http_requests_total"}, {"=", "job", "api"}};
            case 2 -> new String[][] {{"=", "__name__", "http_requests_total"}, {"=", "instance", "host-7"}, {"=", "handler", "/api/v1/query"}};
            case 3 -> new String[][] {{"=", "__name__", "http_request_duration_seconds_bucket"}};
            case 4 -> new String[][] {{"=", "__name__", "node_cpu_seconds_total"}, {"!=", "mode", "idle"}};
            case 5 -> new String[][] {{"=", "__name__", "node_memory_available_bytes"}, {"=~", "instance", "host-1.*"}};
            case 6 -> new String[][] {{"=", "__name__", "up"}};
            case 7 -> new String[][] {{"=", "__name__", "http_requests_total"}, {"=~", "code", "5.."}};
            case 8 -> new String[][] {{"=", "__name__", "node_memory_available_bytes"}, {"=", "instance", "host-42"}};
            default -> new String[][] {{"=", "__name__", "http_requests_total"}, {"=", "instance", "host-3"}, {"=", "code", "200"}};
        };
        long range = switch (i) {
            case 7 -> 10 * 60_000L + StoreBenchmark.H;
            case 8 -> 30 * 60_000L;
            default -> 5 * 60_000L;
        };
        long offset = i == 7 ? StoreBenchmark.H : 0;
        var b = io.thanosj.proto.storepb.SeriesRequest.newBuilder()
                .setMinTime(StoreBenchmark.START + 10 * 60_000 - range)
                .setMaxTime(StoreBenchmark.START + 6 * StoreBenchmark.H - 1000 - offset);
        for (String[] x : m) {
            var t = switch (x[0]) {
                case "=" -> io.thanosj.proto.storepb.LabelMatcher.Type.EQ;
                case "!=" -> io.thanosj.proto.storepb.LabelMatcher.Type.NEQ;
                case "=~" -> io.thanosj.proto.storepb.LabelMatcher.Type.RE;
                default -> io.thanosj.proto.storepb.LabelMatcher.Type.NRE;
            };
            b.addMatchers(io.thanosj.proto.storepb.LabelMatcher.newBuilder().setType(t).setName(x[1]).setValue(x[2]));
        }
        return b.build();
    }

    /**
     * Where a warm query's time goes, as medians of interleaved runs on one store: an HTTP round trip
     * to the querier that reaches no store, the query's Series call on the bucket store in process,
     * the same call over gRPC, and the whole query over HTTP.
     */
    private static void split(List<String> base, Path tmp, List<Integer> which, int runs) throws Exception {
        try (StoreE2E.Store store = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("split")));
             StoreE2E.Querier q = new StoreE2E.Querier(store.rt.grpcPort())) {
            store.awaitReady(Duration.ofMinutes(1));
            var bs = store.cmd.bucketStore();
            io.grpc.ManagedChannel ch = io.grpc.Grpc.newChannelBuilder("127.0.0.1:" + store.rt.grpcPort(),
                    io.grpc.InsecureChannelCredentials.create()).build();
            try {
                GrpcStoreClient grpc = new GrpcStoreClient(ch, "split", Duration.ofMinutes(1));
                System.out.printf("%-3s %9s %9s %9s %9s %9s %9s%n", "q", "http ms", "store ms", "grpc ms", "query ms", "jit ms/rn", "gc ms/rn");
                for (int i : which) {
                    var req = request(i);
                    millis(q.url(), path(i)); // fills the caches
                    double[] http = new double[runs];
                    double[] direct = new double[runs];
                    double[] viaGrpc = new double[runs];
                    double[] query = new double[runs];
                    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
                    long jit0 = jit.getTotalCompilationTime();
                    long gc0 = gcMillis();
                    for (int k = 0; k < runs; k++) {
                        http[k] = millis(q.url(), "/api/v1/status/buildinfo");
                        long t0 = System.nanoTime();
                        drain(bs.series(req));
                        direct[k] = (System.nanoTime() - t0) / 1e6;
                        t0 = System.nanoTime();
                        drain(grpc.series(req));
                        viaGrpc[k] = (System.nanoTime() - t0) / 1e6;
                        query[k] = millis(q.url(), path(i));
                    }
                    System.out.printf("%-3d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", i, median(http), median(direct), median(viaGrpc), median(query),
                            (jit.getTotalCompilationTime() - jit0) / (double) runs, (gcMillis() - gc0) / (double) runs);
                }
            } finally {
                ch.shutdownNow();
            }
        }
    }

    /** Series calls straight on the bucket store, without gRPC and the querier: wall and CPU per call. */
    private static void direct(List<String> base, Path tmp, List<Integer> which, int runs) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int passes = 1 + Integer.getInteger("profile.directPasses", 1);
        for (int pass = 0; pass < passes; pass++) {
            try (StoreE2E.Store store = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("direct" + (pass % 2))))) {
                store.awaitReady(Duration.ofMinutes(1));
                var bs = store.cmd.bucketStore();
                if (pass == passes - 1) {
                    System.out.printf("%-3s %9s %9s %9s %9s %7s %7s %8s%n", "q", "cold ms", "cold cpu", "warm ms", "warm cpu",
                            "cold rq", "warm rq", "series");
                }
                for (int i : which) {
                    var req = request(i);
                    double r0 = requests(store);
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    long n = drain(bs.series(req));
                    double cold = (System.nanoTime() - t0) / 1e6;
                    double coldCpu = (os.getProcessCpuTime() - c0) / 1e6;
                    double r1 = requests(store);
                    double[] w = new double[runs];
                    long cpu0 = os.getProcessCpuTime();
                    for (int k = 0; k < runs; k++) {
                        long s0 = System.nanoTime();
                        drain(bs.series(req));
                        w[k] = (System.nanoTime() - s0) / 1e6;
                    }
                    double cpu = (os.getProcessCpuTime() - cpu0) / 1e6 / runs;
                    double r2 = requests(store);
                    if (pass == passes - 1) {
                        System.out.printf("%-3d %9.2f %9.2f %9.2f %9.2f %7.0f %7.1f %8d%n", i, cold, coldCpu, median(w), cpu,
                                r1 - r0, (r2 - r1) / runs, n);
                    }
                }
            }
        }
    }

    private static long drain(SeriesSet s) {
        long n = 0;
        try (s) {
            while (s.next()) {
                s.labels();
                s.chunks();
                n++;
            }
        }
        return n;
    }

    private static String[] with(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(Arrays.asList(more));
        return out.toArray(String[]::new);
    }

    private static String path(int i) {
        String qry = StoreBenchmark.QUERIES.get(i);
        return StoreE2E.range(qry, (StoreBenchmark.START + 10 * 60_000) / 1000.0,
                (StoreBenchmark.START + 6 * StoreBenchmark.H) / 1000.0 - 1, 60);
    }

    private static double millis(String base, String path) throws Exception {
        long t0 = System.nanoTime();
        StoreE2E.get(base, path);
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Collection time of all collectors so far: a pause inside a timed run shows up here. */
    private static long gcMillis() {
        long t = 0;
        for (var g : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }

    /** Total time of Series calls so far, from the call to the stream's end. */
    private static double storeMillis(StoreE2E.Store s) {
        Timer t = s.rt.registry().find("thanos.bucket.store.series.merge.duration").timer();
        return t == null ? 0 : t.totalTime(TimeUnit.MILLISECONDS);
    }

    /** Mean duration of the range reads so far (from the request to the stream's close). */
    private static double rangeMillis(StoreE2E.Store s) {
        Timer t = s.rt.registry().find("thanos.objstore.bucket.operation.duration").tag("operation", "get_range").timer();
        return t == null || t.count() == 0 ? 0 : t.mean(TimeUnit.MILLISECONDS);
    }

    private static double requests(StoreE2E.Store s) {
        return s.counter("thanos.objstore.bucket.operations", "operation", "get_range");
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
