package io.thanosj.sidecar;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.thanosj.prometheus.PrometheusProcess;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelMatcher;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.prompb.Query;
import io.thanosj.proto.storepb.prompb.ReadRequest;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.store.GrpcStoreClient;
import io.thanosj.store.SeriesSet;
import java.io.BufferedWriter;
import java.io.InputStream;
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
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xerial.snappy.Snappy;
import picocli.CommandLine;

/**
 * bench/sidecar.sh: times one large Series selection through the sidecar's StoreAPI (gRPC, as a
 * querier sees it) against Prometheus answering the same selection itself: its HTTP query API
 * returning the raw samples, and its remote read endpoint the sidecar reads from. Rough figures
 * (median of a few runs on a shared machine), not a JMH benchmark.
 */
public final class SidecarBench {
    private static final int BATCH = Integer.getInteger("batch", 0);

    private SidecarBench() {}

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path tmp = Files.createTempDirectory("sidecar-bench-");
        try {
            run(tmp, series, hours, runs);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path tmp, int series, int hours, int runs) throws Exception {
        long now = System.currentTimeMillis();
        long start = (now - (hours + 3) * 3_600_000L) / 3_600_000L * 3_600_000L;
        long end = start + hours * 3_600_000L - 15_000;
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Path om = tmp.resolve("bench.om");
        long t0 = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(om)) {
            w.write("# TYPE bench gauge\n");
            for (long t = start; t <= end; t += 15_000) {
                long i = (t - start) / 15_000;
                String ts = Long.toString(t / 1000);
                for (int s = 0; s < series; s++) {
                    w.write("bench{pod=\"pod-" + s + "\",job=\"j" + (s % 10) + "\"} " + ((i * 7 + s) % 1000) + " " + ts + "\n");
                }
            }
            w.write("# EOF\n");
        }
        Process p = new ProcessBuilder(PrometheusProcess.PROMTOOL, "tsdb", "create-blocks-from", "openmetrics",
                om.toString(), data.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("promtool.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("promtool failed: " + Files.readString(tmp.resolve("promtool.log")));
        }
        Files.delete(om);
        long samples = (long) series * ((end - start) / 15_000 + 1);
        System.out.printf("data: %d series x %dh at 15s = %,d samples in blocks (%.1fs to generate)%n", series, hours,
                samples, (System.nanoTime() - t0) / 1e9);

        int port = PrometheusProcess.freePort();
        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  external_labels:\n    cluster: bench\n    replica: r0\n");
        try (PrometheusProcess prom = PrometheusProcess.start(data, cfg, port)) {
            SidecarCommand cmd = new SidecarCommand();
            new CommandLine(cmd).parseArgs("--prometheus.url=" + prom.url(), "--tsdb.path=" + data);
            ComponentRuntime rt = new ComponentRuntime("sidecar");
            rt.grpcGracePeriod(0);
            cmd.wire(rt);
            rt.start("127.0.0.1:0", "127.0.0.1:0");
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", rt.grpcPort()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
            try {
                cmd.started.get(60, TimeUnit.SECONDS);
                GrpcStoreClient client = new GrpcStoreClient(ch, "sidecar", Duration.ZERO);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

                String q = URLEncoder.encode("bench[" + (hours * 3600) + "s]", StandardCharsets.UTF_8);
                URI queryUri = URI.create(prom.url() + "/api/v1/query?query=" + q + "&time=" + end / 1000);
                Callable<Long> promQuery = () -> {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(queryUri).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = r.body()) {
                        return drain(in);
                    }
                };
                byte[] rr = Snappy.compress(ReadRequest.newBuilder()
                        .addQueries(Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end)
                                .addMatchers(io.thanosj.proto.storepb.prompb.LabelMatcher.newBuilder()
                                        .setName("__name__").setValue("bench")))
                        .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS).build().toByteArray());
                Callable<Long> remoteRead = () -> {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(prom.url() + "/api/v1/read"))
                            .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                            .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(rr)).build(), HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = r.body()) {
                        return drain(in);
                    }
                };
                SeriesRequest sr = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end).setResponseBatchSize(BATCH)
                        .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("bench")).build();
                long[] chunks = new long[1];
                Callable<Long> sidecar = () -> {
                    long n = 0;
                    long c = 0;
                    try (SeriesSet s = client.series(sr)) {
                        while (s.next()) {
                            n++;
                            for (AggrChunk a : s.chunks()) {
                                c++;
                                a.getRaw().getData().size();
                            }
                        }
                    }
                    chunks[0] = c;
                    return n;
                };

                io.thanosj.prometheus.PromMetadata meta = new io.thanosj.prometheus.PromMetadata(
                        new io.thanosj.prometheus.PromClient(URI.create(prom.url()), Duration.ofSeconds(30)), Long.MIN_VALUE);
                meta.refresh();
                io.thanosj.prometheus.PrometheusStore direct = new io.thanosj.prometheus.PrometheusStore(meta);
                Callable<Long> inProcess = () -> {
                    long n = 0;
                    try (SeriesSet s = direct.series(sr)) {
                        while (s.next()) {
                            n++;
                        }
                    }
                    return n;
                };

                double tQuery = time("prometheus /api/v1/query (raw samples as JSON)", promQuery, runs);
                double tRead = time("prometheus /api/v1/read (streamed XOR chunks)", remoteRead, runs);
                time("sidecar store in process (no gRPC)", inProcess, runs);
                double tSide = time("sidecar StoreAPI Series over gRPC", sidecar, runs);
                System.out.printf("sidecar returned %,d chunks%n", chunks[0]);
                System.out.printf("overhead ratio sidecar / prometheus query: %.2f%n", tSide / tQuery);
                System.out.printf("overhead ratio sidecar / prometheus remote read: %.2f%n", tSide / tRead);
            } finally {
                ch.shutdownNow();
                rt.close();
            }
        }
    }

    private static long drain(InputStream in) throws java.io.IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
        }
        return n;
    }

    /** Median wall time in milliseconds of {@code runs} runs after two warm-up runs. */
    private static double time(String what, Callable<Long> c, int runs) throws Exception {
        long result = 0;
        for (int i = 0; i < 2; i++) {
            result = c.call();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            result = c.call();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[runs / 2];
        System.out.printf("%-52s median %8.1f ms  (min %.1f, max %.1f; result %,d)%n", what, median, ms[0], ms[runs - 1], result);
        return median;
    }
}
