package io.thanosj.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.Labels;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.objstore.S3ProxyServer;
import io.thanosj.prometheus.PrometheusProcess;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockWriter;
import io.thanosj.tsdb.bucket.BucketBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * bench/store.sh: a realistic dataset (about 10k series, 6h at 15s, three 2h blocks) in S3Proxy,
 * queried through an in-process querier and store gateway and through Prometheus 2.42 on the same
 * blocks. Prints per-query latency (cold: first run on a fresh store, after a JIT warm-up; warm:
 * median of {@code -Dbench.runs}, 7 by default), bytes and range requests read from the bucket,
 * the geometric mean of latency ratios and the store's heap per block.
 */
public final class StoreBenchmark {
    static final long START = 1_685_577_600_000L; // 2023-06-01T00:00:00Z
    static final long H = 3_600_000L;

    static final List<String> QUERIES = List.of(
            "sum(rate(http_requests_total[5m]))",
            "sum by (code) (rate(http_requests_total{job=\"api\"}[5m]))",
            "rate(http_requests_total{instance=\"host-7\",handler=\"/api/v1/query\"}[5m])",
            "histogram_quantile(0.99, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))",
            "topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m])))",
            "avg by (instance) (node_memory_available_bytes{instance=~\"host-1.*\"})",
            "count(up == 1)",
            "sum(rate(http_requests_total{code=~\"5..\"}[10m] offset 1h))",
            "max_over_time(node_memory_available_bytes{instance=\"host-42\"}[30m])",
            "http_requests_total{instance=\"host-3\",code=\"200\"}");

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path tmp = Files.createTempDirectory("thanosj-store-bench-");
        try {
            run(tmp, instances);
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The series of one scrape target fleet, sorted. */
    static List<Labels> series(int instances) {
        TreeSet<Labels> out = new TreeSet<>();
        String[] handlers = {"/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/metrics", "/-/ready"};
        String[] codes = {"200", "400", "404", "500", "503"};
        String[] les = {"0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"};
        for (int i = 0; i < instances; i++) {
            String inst = "host-" + i;
            for (String h : handlers) {
                for (String m : new String[] {"GET", "POST"}) {
                    for (String c : codes) {
                        out.add(Labels.of("__name__", "http_requests_total", "job", "api", "instance", inst, "handler", h,
                                "method", m, "code", c));
                    }
                }
                for (String le : les) {
                    out.add(Labels.of("__name__", "http_request_duration_seconds_bucket", "job", "api", "instance", inst,
                            "handler", h, "le", le));
                }
            }
            for (int cpu = 0; cpu < 4; cpu++) {
                for (String mode : new String[] {"user", "system", "idle"}) {
                    out.add(Labels.of("__name__", "node_cpu_seconds_total", "job", "node", "instance", inst,
                            "cpu", String.valueOf(cpu), "mode", mode));
                }
            }
            out.add(Labels.of("__name__", "node_memory_available_bytes", "job", "node", "instance", inst));
            out.add(Labels.of("__name__", "up", "job", "node", "instance", inst));
        }
        return new ArrayList<>(out);
    }

    static void writeBlocks(Path dir, List<Labels> series) {
        long step = 15_000;
        int perBlock = (int) (2 * H / step);
        long[] ts = new long[perBlock];
        double[] vs = new double[perBlock];
        for (int b = 0; b < 3; b++) {
            long mint = START + b * 2 * H;
            try (BlockWriter w = new BlockWriter(dir)) {
                w.timeRange(mint, mint + 2 * H);
                for (int s = 0; s < series.size(); s++) {
                    Labels l = series.get(s);
                    String name = l.get("__name__");
                    boolean counter = name.endsWith("_total") || name.endsWith("_bucket");
                    double base = (s % 97) * 3.5;
                    for (int k = 0; k < perBlock; k++) {
                        long idx = (long) b * perBlock + k;
                        ts[k] = mint + k * step;
                        if (counter) {
                            double rate = 1 + (s % 13) + (s % 29) * 0.37 + (name.endsWith("_bucket") ? le(l.get("le")) : 0);
                            vs[k] = Math.floor(idx * rate + ((idx * 31 + s) % 5));
                        } else if (name.equals("up")) {
                            vs[k] = (idx + s) % 211 == 0 ? 0 : 1;
                        } else {
                            vs[k] = 1e9 + base * 1e6 + Math.floor(1e6 * Math.sin((idx + s) / 40.0));
                        }
                    }
                    w.addSeries(l, ts, vs, perBlock);
                }
                w.finish();
            }
        }
    }

    private static double le(String le) {
        return le.equals("+Inf") ? 8 : Math.min(8, 1 + Math.log10(Double.parseDouble(le) * 1000));
    }

    private static double millis(String base, String path) throws Exception {
        long t0 = System.nanoTime();
        StoreE2E.get(base, path);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    static void run(Path tmp, int instances) throws Exception {
        List<Labels> series = series(instances);
        Path blocks = tmp.resolve("blocks");
        Files.createDirectories(blocks);
        long t0 = System.nanoTime();
        writeBlocks(blocks, series);
        List<Path> dirs;
        try (var s = Files.list(blocks)) {
            dirs = s.filter(p -> Files.exists(p.resolve(BlockMeta.FILENAME))).sorted().toList();
        }
        long bytes = 0;
        for (Path d : dirs) {
            try (var s = Files.walk(d)) {
                bytes += s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }
        System.out.printf("dataset: %d series, 6h at 15s (%d samples), %d blocks, %.1f MiB, written in %.1fs%n",
                series.size(), series.size() * 1440L, dirs.size(), bytes / 1048576.0, (System.nanoTime() - t0) / 1e9);

        try (S3ProxyServer s3 = new S3ProxyServer()) {
            s3.createBucket("bench");
            String yaml = s3.yaml("bench", "");
            try (Bucket up = BucketFactory.create(yaml, new SimpleMeterRegistry())) {
                for (Path d : dirs) {
                    BucketBlocks.upload(up, d, true);
                }
            }
            Path promData = tmp.resolve("prom");
            TestStoreGatewayE2E.copyTree(blocks, promData);
            Path cfg = tmp.resolve("prometheus.yml");
            Files.writeString(cfg, "global:\n  scrape_interval: 1h\n");
            String[] base = {"--objstore.config=" + yaml, "--log.level=warn"};
            try (PrometheusProcess prom = PrometheusProcess.start(promData, cfg, PrometheusProcess.freePort(),
                    "--storage.tsdb.retention.time=100y")) {
                // JIT warm-up on throwaway stores, so that "cold" below means cold caches, not a cold JVM
                // (a store gateway that has been running for a while has compiled its read paths): one
                // without caches, so that every run goes through the bucket reads that cold runs take,
                // then one with both caches for the cache paths.
                int warmup = WARMUP_ROUNDS;
                String[][] warmStores = {{"--data-dir=" + tmp.resolve("warmup-nocache"), "--index-cache-size=0B"},
                    {"--data-dir=" + tmp.resolve("warmup-cached"), CACHING_BUCKET}};
                long w0 = System.nanoTime();
                int reads = warmObjstoreClient(yaml, dirs.get(0).getFileName() + "/index", Integer.getInteger("bench.objstoreWarmup", 10_000));
                int rounds;
                long perQueryRuns = 0;
                try (StoreE2E.Store nc = new StoreE2E.Store(with(base, warmStores[0]));
                     StoreE2E.Store ca = new StoreE2E.Store(with(base, warmStores[1]));
                     StoreE2E.Querier qn = querier(nc); StoreE2E.Querier qc = querier(ca)) {
                    nc.awaitReady(Duration.ofMinutes(2));
                    ca.awaitReady(Duration.ofMinutes(2));
                    rounds = JitSettle.run(warmup, () -> {
                        for (StoreE2E.Querier q : List.of(qn, qc)) {
                            for (String qry : QUERIES) {
                                StoreE2E.get(q.url(), path(qry));
                            }
                        }
                    });
                    // Code that runs once per query (HTTP, gRPC calls, engine and block set-up) has had only
                    // a few hundred calls in those rounds, and C2 compiles a method after some ten thousand:
                    // each query alone for a while on the cached store gives the small ones thousands of
                    // calls, as a querier and gateway that have served a few thousand queries have had.
                    for (String qry : QUERIES) {
                        long end = System.nanoTime() + PER_QUERY_WARMUP_MS * 1_000_000L;
                        do {
                            StoreE2E.get(qc.url(), path(qry));
                            perQueryRuns++;
                        } while (System.nanoTime() < end);
                    }
                    rounds += JitSettle.run(1, () -> {
                        for (String qry : QUERIES) {
                            StoreE2E.get(qc.url(), path(qry));
                        }
                    });
                }
                // Each cold run starts a store, which compiles start-up code (the S3 SDK's client
                // builder, gRPC, picocli, YAML): left to the measured runs, that compilation took
                // 1.5-2 s of compiler time during them, competing with their queries for the two cores.
                String[][] coldWarm = {with(base, "--data-dir=" + tmp.resolve("warmup-cold")),
                    with(base, "--data-dir=" + tmp.resolve("warmup-cold-cb"), CACHING_BUCKET)};
                double[] scratch = new double[3];
                for (int round = 0; round < COLD_WARMUP_ROUNDS; round++) {
                    for (String[] a : coldWarm) {
                        for (int i = 0; i < QUERIES.size(); i++) {
                            coldRun(a, i, (i & 1) == 0, scratch);
                        }
                    }
                }
                System.out.printf("JIT warm-up: %d range reads through another S3 client, then %d rounds of the queries through an"
                        + " uncached and a cached store (at least %d, then until a round spends under %.0f%% of its time compiling),"
                        + " %d runs in all of the queries each alone for %d ms on the cached store (-Dbench.perQueryWarmupMs),"
                        + " and %d rounds of cold runs on throwaway stores (-Dbench.coldWarmup), in %.1fs%n",
                        reads, rounds, warmup, JitSettle.SETTLED * 100, perQueryRuns, PER_QUERY_WARMUP_MS, COLD_WARMUP_ROUNDS,
                        (System.nanoTime() - w0) / 1e9);
                Results plain;
                long headers;
                int blocksLoaded;
                try (StoreE2E.Store store = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("store")))) {
                    long s0 = System.nanoTime();
                    store.awaitReady(Duration.ofMinutes(2));
                    System.out.printf("store ready in %.2fs; index-headers built with %d range reads%n",
                            (System.nanoTime() - s0) / 1e9, (long) store.counter("thanos.objstore.bucket.operations", "operation", "get_range"));
                    try (StoreE2E.Querier q = querier(store)) {
                        plain = measure(prom.url(), q.url(), store, true);
                    }
                    headers = store.cmd.bucketStore().indexHeaderHeapBytes();
                    blocksLoaded = store.cmd.bucketStore().numBlocks();
                    String id = dirs.get(0).getFileName().toString();
                    long measured = io.thanosj.store.bucket.IndexHeaderHeap.perReader(tmp.resolve("store"), id, 200);
                    long file = Files.size(tmp.resolve("store").resolve(id).resolve("index-header"));
                    double cacheBytes = 0;
                    for (var g : store.rt.registry().find("thanos.store.index.cache.total.size.bytes").gauges()) {
                        cacheBytes += g.value();
                    }
                    System.out.printf("store heap per block: %.1f KiB measured for a mapped index-header (%.1f KiB estimated), plus"
                            + " its %.1f KiB file mapped off-heap; index cache after the queries: %.1f MiB for %d blocks%n",
                            measured / 1024.0, headers / 1024.0 / blocksLoaded, file / 1024.0,
                            cacheBytes / 1048576.0, blocksLoaded);
                }
                Results cached;
                try (StoreE2E.Store store = new StoreE2E.Store(with(base, "--data-dir=" + tmp.resolve("store-cb"), CACHING_BUCKET))) {
                    store.awaitReady(Duration.ofMinutes(2));
                    try (StoreE2E.Querier q = querier(store)) {
                        cached = measure(prom.url(), q.url(), store, true);
                    }
                }
                coldRuns(plain, with(base, "--data-dir=" + tmp.resolve("store")));
                coldRuns(cached, with(base, "--data-dir=" + tmp.resolve("store-cb"), CACHING_BUCKET));
                print(plain, cached);
            }
        }
    }

    /**
     * Small range reads through a separate S3 client of the same classes, as a store gateway that
     * has been up for a while has made: the SDK's request path needs thousands of calls before it
     * is compiled, and until then a read costs several milliseconds of CPU instead of a fraction of
     * one, which would make "cold" measure the JIT rather than empty caches. Returns the reads made.
     */
    static int warmObjstoreClient(String yaml, String object, int reads) throws Exception {
        try (Bucket b = BucketFactory.create(yaml, new SimpleMeterRegistry())) {
            long size = b.attributes(object).size();
            int threads = 4;
            onThreads(threads, t -> {
                java.util.Random r = new java.util.Random(t);
                byte[] buf = new byte[64 << 10];
                for (int i = 0; i < reads / threads; i++) {
                    long off = (long) (r.nextDouble() * Math.max(1, size - buf.length));
                    if ((i & 1) == 0) {
                        b.getRangeBytes(object, off, 4096);
                    } else {
                        try (java.io.InputStream in = b.getRange(object, off, buf.length)) {
                            int n = 0;
                            int got;
                            while (n < buf.length && (got = in.read(buf, n, Math.min(8192, buf.length - n))) > 0) {
                                n += got;
                            }
                        }
                    }
                }
            });
        }
        return reads / 4 * 4;
    }

    /** The caching bucket of the "+chunk $" store: Thanos's chunk sub-range caching, in memory. */
    static final String CACHING_BUCKET =
            "--store.caching-bucket.config=type: IN-MEMORY\nconfig:\n  max_size: 1GB\n  max_item_size: 16MB\n";
    /**
     * JIT warm-up rounds of all queries per throwaway store. A store gateway in production serves
     * many queries, so its steady state is what counts; three rounds left parts of the read path
     * (and the querier) interpreted or at C1, which made both cold and warm figures measure the JIT.
     * Ten are not enough either: StoreProfile's warm median of one small query
     * ({@code max_over_time(...{instance="host-42"}[30m])}) went 8.1 → 3.5 → 2.8 ms over its next
     * 300 runs after ten rounds, and settles at 1.9 ms (C2 compiles a method after some 10k calls).
     */
    static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmup", 30);
    /** Milliseconds of the JIT warm-up that each query runs alone, over and over; see the warm-up. */
    static final long PER_QUERY_WARMUP_MS = Long.getLong("bench.perQueryWarmupMs", 2000);
    /** Rounds of cold runs (every query on its own fresh store, both configurations) before the measured ones. */
    static final int COLD_WARMUP_ROUNDS = Integer.getInteger("bench.coldWarmup", 10);
    /** Warm runs per query; the median is reported. */
    static final int WARM_RUNS = Integer.getInteger("bench.runs", 11);

    private static String[] with(String[] base, String... more) {
        String[] out = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    private static StoreE2E.Querier querier(StoreE2E.Store s) {
        return new StoreE2E.Querier(s.rt.grpcPort());
    }

    private static String path(String qry) {
        return StoreE2E.range(qry, (START + 10 * 60_000) / 1000.0, (START + 6 * H) / 1000.0 - 1, 60);
    }

    /** Per query: Prometheus cold and warm, ours cold and warm, bytes read from the bucket, agreement. */
    record Results(double[] promCold, double[] promWarm, double[] oursCold, double[] oursColdOpen, double[] oursWarm,
                   double[] coldKiB, double[] warmKiB, double[] coldReqs, double[] warmReqs, boolean[] same) {}

    /**
     * The cold figures: each query alone on a fresh store (empty caches, index-headers on disk but
     * not mapped, a querier that has discovered the store), {@link #COLD_STORES} times; the median
     * time and bytes. A single cold run swings by a third with the machine's noise, and running the
     * queries one after another on one store would let a query find what the queries before it
     * cached (the first query reads every chunk of {@code http_requests_total}). Each run is made
     * twice, interleaved: as the store's first request, and after {@link #openConnections} (see
     * there), into {@code oursCold} and {@code oursColdOpen}.
     */
    static void coldRuns(Results r, String[] args) throws Exception {
        int n = QUERIES.size();
        double[][] ms = new double[n][COLD_STORES];
        double[][] open = new double[n][COLD_STORES];
        double[][] kib = new double[n][COLD_STORES];
        double[][] rq = new double[n][COLD_STORES];
        double[] one = new double[3];
        for (int k = 0; k < COLD_STORES; k++) {
            for (int i = 0; i < n; i++) {
                coldRun(args, i, false, one);
                ms[i][k] = one[0];
                kib[i][k] = one[1];
                rq[i][k] = one[2];
                coldRun(args, i, true, one);
                open[i][k] = one[0];
            }
        }
        for (int i = 0; i < n; i++) {
            r.oursCold[i] = median(ms[i]);
            r.oursColdOpen[i] = median(open[i]);
            r.coldKiB[i] = median(kib[i]);
            r.coldReqs[i] = median(rq[i]);
        }
    }

    /** Query {@code i} alone on a fresh store; {@code out} gets its milliseconds, KiB read and range requests. */
    static void coldRun(String[] args, int i, boolean openConnections, double[] out) throws Exception {
        try (StoreE2E.Store store = new StoreE2E.Store(args)) {
            store.awaitReady(Duration.ofMinutes(2));
            try (StoreE2E.Querier q = querier(store)) {
                // The querier is long-running and only the store is cold: the HTTP client's
                // connection to the querier is opened by a request that reaches no store.
                StoreE2E.get(q.url(), "/api/v1/status/buildinfo");
                if (openConnections) {
                    openConnections(store);
                }
                double f0 = fetched(store);
                double q0 = requests(store);
                out[0] = millis(q.url(), path(QUERIES.get(i)));
                out[1] = (fetched(store) - f0) / 1024;
                out[2] = requests(store) - q0;
            }
        }
    }

    /**
     * Opens the S3 connections of a fresh store as any earlier request would have: a range read of
     * each block's meta.json on each of {@value #OPEN_CONNECTIONS} threads at once. No query reads
     * meta.json, so no cache of the store learns anything a query uses, and the index-headers stay
     * unmapped. A store that has just started opens its connections during its first query, which
     * costs about a millisecond on this machine (a fresh HTTP connection pool and sockets; S3Proxy
     * shares the two cores).
     */
    static void openConnections(StoreE2E.Store store) throws Exception {
        var bkt = store.cmd.bucket();
        List<String> metas = new ArrayList<>();
        bkt.iter("", name -> metas.add(name + "meta.json"));
        onThreads(OPEN_CONNECTIONS, t -> {
            for (String m : metas) {
                bkt.getRangeBytes(m, 0, 1);
            }
        });
    }

    interface ThreadTask {
        void run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads at once, numbered from 0, and waits for all; the first failure is thrown. */
    static void onThreads(int threads, ThreadTask task) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    task.run(thread);
                    return null;
                }));
            }
            for (var f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Threads of {@link #openConnections}: the store's bucket read pool on this machine. */
    static final int OPEN_CONNECTIONS = 4;

    /** Fresh stores per query whose cold runs make up the cold figure; see {@link #coldRuns}. */
    static final int COLD_STORES = Integer.getInteger("bench.coldStores", 5);

    static Results measure(String prom, String ours, StoreE2E.Store store, boolean withProm) throws Exception {
        int n = QUERIES.size();
        Results r = new Results(new double[n], new double[n], new double[n], new double[n], new double[n], new double[n],
                new double[n], new double[n], new double[n], new boolean[n]);
        for (int i = 0; i < n; i++) {
            String path = path(QUERIES.get(i));
            if (withProm) {
                r.promCold[i] = millis(prom, path);
            }
            // The first run fills this store's caches; the cold figures come from coldRuns.
            millis(ours, path);
            double f1 = fetched(store);
            double q1 = requests(store);
            double[] pw = new double[WARM_RUNS];
            double[] ow = new double[WARM_RUNS];
            for (int k = 0; k < WARM_RUNS; k++) {
                if (withProm) {
                    pw[k] = millis(prom, path);
                }
                ow[k] = millis(ours, path);
            }
            double f2 = fetched(store);
            double q2 = requests(store);
            r.promWarm[i] = median(pw);
            r.oursWarm[i] = median(ow);
            r.warmKiB[i] = (f2 - f1) / WARM_RUNS / 1024;
            r.warmReqs[i] = (q2 - q1) / WARM_RUNS;
            r.same[i] = !withProm || StoreE2E.diff(StoreE2E.get(prom, path), StoreE2E.get(ours, path)).isEmpty();
        }
        return r;
    }

    static void print(Results p, Results c) {
        System.out.println();
        System.out.println("range queries over 6h, step 60s; cold = the query alone on a fresh store (caches empty,"
                + " index-headers not yet mapped), median over " + COLD_STORES + " fresh stores (-Dbench.coldStores); JIT"
                + " warmed on throwaway stores until it settles (-Dbench.warmup);"
                + " warm = median of " + WARM_RUNS + " with the default in-memory index cache,"
                + " +chunk $ = warm with an in-memory caching bucket too, against Prometheus's warm runs interleaved with it"
                + " (prom $); KiB and rq = bytes read and range requests to the"
                + " bucket per run");
        System.out.printf("%-92s %9s %9s %9s %9s %10s %9s %9s %9s %7s %7s %8s %s%n", "query", "prom cold", "ours cold", "prom warm",
                "ours warm", "+chunk $", "prom $", "cold KiB", "warm KiB", "cold rq", "warm rq", "+$ KiB", "same");
        int n = QUERIES.size();
        double[] lc = new double[n];
        double[] lw = new double[n];
        double[] lcb = new double[n];
        double[] lcw = new double[n];
        double[] lcc = new double[n];
        int bad = 0;
        for (int i = 0; i < n; i++) {
            boolean same = p.same[i] && c.same[i];
            System.out.printf("%-92s %7.1fms %7.1fms %7.1fms %7.1fms %8.1fms %7.1fms %9.1f %9.1f %7.0f %7.1f %8.1f %s%n", QUERIES.get(i),
                    p.promCold[i], p.oursCold[i], p.promWarm[i], p.oursWarm[i], c.oursWarm[i], c.promWarm[i], p.coldKiB[i],
                    p.warmKiB[i], p.coldReqs[i], p.warmReqs[i], c.warmKiB[i], same ? "yes" : "NO");
            lc[i] = p.oursCold[i] / p.promCold[i];
            lw[i] = p.oursWarm[i] / p.promWarm[i];
            // Against the Prometheus runs interleaved with these: the machine's load shifts between passes.
            lcb[i] = c.oursWarm[i] / c.promWarm[i];
            lcw[i] = p.oursCold[i] / c.oursWarm[i];
            lcc[i] = c.oursCold[i] / c.oursWarm[i];
            bad += same ? 0 : 1;
        }
        System.out.printf("geometric mean of latency ratios (ours / Prometheus 2.42): cold %.2fx, warm %.2fx, warm with in-memory"
                + " chunk caching bucket %.2fx; results differing from Prometheus: %d of %d%n", geomean(lc), geomean(lw),
                geomean(lcb), bad, n);
        System.out.printf("geometric mean of ours cold / ours warm: both with index cache and caching bucket %.2fx (cold"
                + " per query: %s); cold with the index cache only / warm with both caches %.2fx%n",
                geomean(lcc), coldList(c.oursCold), geomean(lcw));
        double[] lo = new double[n];
        double[] lop = new double[n];
        for (int i = 0; i < n; i++) {
            lo[i] = c.oursColdOpen[i] / c.oursWarm[i];
            lop[i] = p.oursColdOpen[i] / c.oursWarm[i];
        }
        System.out.printf("the same with the fresh store's S3 connections open before the query (caches still empty,"
                + " index-headers unmapped): both caches %.2fx (cold per query: %s); index cache only / warm with both"
                + " caches %.2fx%n", geomean(lo), coldList(c.oursColdOpen), geomean(lop));
    }

    private static String coldList(double[] ms) {
        StringBuilder b = new StringBuilder();
        for (double v : ms) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%.1f", v));
        }
        return b.append(" ms").toString();
    }

    static double geomean(double[] ratios) {
        double l = 0;
        for (double r : ratios) {
            l += Math.log(r);
        }
        return Math.exp(l / ratios.length);
    }

    private static double requests(StoreE2E.Store store) {
        return store.counter("thanos.objstore.bucket.operations", "operation", "get_range");
    }

    private static double fetched(StoreE2E.Store store) {
        var c = store.rt.registry().find("thanos.objstore.bucket.operation.fetched").tag("operation", "get_range").counter();
        return c == null ? 0 : c.count();
    }
}
