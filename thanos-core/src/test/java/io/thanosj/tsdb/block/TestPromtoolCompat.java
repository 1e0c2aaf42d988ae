package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkReader;
import io.thanosj.tsdb.chunk.ChunkWriter;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.IndexWriter;
import io.thanosj.tsdb.index.Postings;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compatibility with the real Prometheus 2.42: promtool-made blocks read identically (and re-encode
 * byte for byte), our blocks pass promtool analyze/dump, and a Prometheus server answers queries on
 * our block. Fails when CI=true and the binaries are missing.
 */
@Tag("integration")
class TestPromtoolCompat {
    static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);
    static final String LONG_VALUE = "long-" + "x\u00e9".repeat(1500);

    /** Label values covering unicode, escapes and a 3000-character value. */
    static final String[] ODD_VALUES = {"plain", "v\u00e4lue-\uD83D\uDE00", "quote\"back\\slash", "new\nline",
        LONG_VALUE, "\u4e2d\u6587", "\uFFFD-\u00a0-\u2028"};

    /** A value for sample i of series s: counters with resets, gauges with special values. */
    static double value(int s, int i) {
        if (s % 3 == 0) {
            return (i % 97) * 10.0 + s; // counter reset every 97 samples
        }
        return switch (i % 13) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> Double.MIN_VALUE;
            case 5 -> 2.2250738585072009E-308; // largest subnormal
            case 6 -> 1e6;
            case 7 -> -123456.789e-10;
            default -> Math.sin(i * 0.1 + s) * 1e3;
        };
    }

    static Labels labels(int s) {
        return Labels.of("__name__", s % 3 == 0 ? "http_requests_total" : "temperature_celsius",
                "instance", "host-" + (s % 17) + ":9100", "series", Integer.toString(s),
                "odd", ODD_VALUES[s % ODD_VALUES.length]);
    }

    /** Timestamp of sample i: 15s scrapes with jitter and a gap for some series. */
    static long ts(long base, int s, int i) {
        long t = base + i * 15_000L + (i * 7L + s) % 13;
        return (s % 5 == 1 && i > 200) ? t + 3_600_000 : t;
    }

    static void escapeOm(String v, StringBuilder sb) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    static String omValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == 0 && 1 / v < 0 ? "-0" : Double.toString(v);
    }

    @Test
    void promtoolBlocksReadIdenticallyAndReencodeByteExactly(@TempDir Path dir) throws Exception {
        String promtool = PromTools.require("promtool");
        int series = 60;
        int samples = 700; // ~3h: several 2h-aligned blocks
        long base = 1_700_000_000_000L;
        StringBuilder om = new StringBuilder();
        String[] metrics = {"http_requests_total", "temperature_celsius"};
        for (String metric : metrics) {
            om.append("# TYPE ").append(metric).append(" gauge\n");
            for (int s = 0; s < series; s++) {
                Labels l = labels(s);
                if (!l.get("__name__").equals(metric)) {
                    continue;
                }
                StringBuilder ls = new StringBuilder(metric).append('{');
                for (int k = 0; k < l.size(); k++) {
                    if (l.name(k).equals("__name__")) {
                        continue;
                    }
                    if (ls.charAt(ls.length() - 1) != '{') {
                        ls.append(',');
                    }
                    ls.append(l.name(k)).append("=\"");
                    escapeOm(l.value(k), ls);
                    ls.append('"');
                }
                ls.append("} ");
                for (int i = 0; i < samples; i++) {
                    long t = ts(base, s, i);
                    om.append(ls).append(omValue(value(s, i))).append(' ').append(t / 1000).append('.')
                            .append(String.format("%03d", t % 1000)).append('\n');
                }
            }
        }
        om.append("# EOF\n");
        Path input = dir.resolve("in.om");
        Files.writeString(input, om);
        Path db = dir.resolve("db");
        PromTools.run(dir, promtool, "tsdb", "create-blocks-from", "openmetrics", input.toString(), db.toString());
        List<Path> blocks = PromTools.blockDirs(db);
        assertThat(blocks).hasSizeGreaterThan(1);

        Map<String, TreeMap<Long, Long>> ours = PromTools.readAll(db);
        Files.createDirectories(db.resolve("wal"));
        Map<String, TreeMap<Long, Long>> theirs = PromTools.parseDump(PromTools.run(dir, promtool, "tsdb", "dump", db.toString()));
        PromTools.assertSameData(ours, theirs);
        assertThat(ours).hasSize(series);
        long total = ours.values().stream().mapToLong(TreeMap::size).sum();
        assertThat(total).isEqualTo((long) series * samples);

        for (Path b : blocks) {
            PromTools.assertByteExactRewrite(b, dir.resolve("rewrite-" + b.getFileName()));
        }
    }

    /** Writes a block of our own with the given series count and samples per series. */
    static Map<String, TreeMap<Long, Long>> writeOurs(Path db, int series, int samples, long base) {
        TreeMap<Labels, Integer> order = new TreeMap<>();
        for (int s = 0; s < series; s++) {
            order.put(labels(s), s);
        }
        Map<String, TreeMap<Long, Long>> want = new TreeMap<>();
        long[] t = new long[samples];
        double[] v = new double[samples];
        try (BlockWriter w = new BlockWriter(db)) {
            for (Map.Entry<Labels, Integer> e : order.entrySet()) {
                int s = e.getValue();
                TreeMap<Long, Long> pts = new TreeMap<>();
                for (int i = 0; i < samples; i++) {
                    t[i] = ts(base, s, i);
                    v[i] = s % 7 == 2 && i == samples / 2 ? STALE : value(s, i);
                    pts.put(t[i], PromTools.bits(v[i]));
                }
                w.addSeries(e.getKey(), t, v, samples);
                want.put(PromTools.goString(e.getKey()), pts);
            }
            w.finish();
        }
        return want;
    }

    @Test
    void ourBlocksPassAnalyzeAndDumpPrintsOurSamples(@TempDir Path dir) throws Exception {
        String promtool = PromTools.require("promtool");
        Path db = dir.resolve("db");
        Files.createDirectories(db);
        Map<String, TreeMap<Long, Long>> want = writeOurs(db, 50, 500, 1_700_000_000_000L);
        String analyze = PromTools.run(dir, promtool, "tsdb", "analyze", db.toString());
        assertThat(analyze).contains("Series: 50");
        Files.createDirectories(db.resolve("wal"));
        Map<String, TreeMap<Long, Long>> got = PromTools.parseDump(PromTools.run(dir, promtool, "tsdb", "dump", db.toString()));
        PromTools.assertSameData(got, want);
    }

    @Test
    void hundredThousandSeriesInOneBlock(@TempDir Path dir) throws Exception {
        String promtool = PromTools.require("promtool");
        Path db = dir.resolve("db");
        Files.createDirectories(db);
        int n = 100_000;
        TreeMap<Labels, Integer> order = new TreeMap<>();
        for (int s = 0; s < n; s++) {
            order.put(Labels.of("__name__", "m" + (s % 10), "pod", "pod-" + s, "zone", "z" + (s % 3)), s);
        }
        StringBuilder want = new StringBuilder();
        long[] t = {1_700_000_000_000L, 1_700_000_015_000L, 1_700_000_030_000L};
        double[] v = new double[3];
        try (BlockWriter w = new BlockWriter(db)) {
            for (Map.Entry<Labels, Integer> e : order.entrySet()) {
                int s = e.getValue();
                v[0] = s;
                v[1] = s + 0.5;
                v[2] = -s;
                w.addSeries(e.getKey(), t, v, 3);
            }
            w.finish();
        }
        String analyze = PromTools.run(dir, promtool, "tsdb", "analyze", db.toString());
        assertThat(analyze).contains("Series: " + n);
        try (Block b = Block.open(PromTools.blockDirs(db).get(0))) {
            assertThat(b.index().labelValues("pod")).hasSize(n);
            assertThat(b.meta().stats().numSamples()).isEqualTo(3L * n);
        }
        Files.createDirectories(db.resolve("wal"));
        String dump = PromTools.run(dir, promtool, "tsdb", "dump", db.toString());
        String[] lines = dump.split("\n");
        assertThat(lines).hasSize(3 * n);
        // Spot-check: every series' lines appear with exact values in label order.
        int k = 0;
        for (Map.Entry<Labels, Integer> e : order.entrySet()) {
            if (k % 997 == 0) {
                String prefix = PromTools.goString(e.getKey()) + " ";
                int s = e.getValue();
                assertThat(lines[3 * k]).isEqualTo(prefix + s + " " + t[0]);
                assertThat(lines[3 * k + 1]).isEqualTo(prefix + (s + 0.5) + " " + t[1]);
                assertThat(lines[3 * k + 2]).isEqualTo(prefix + (s == 0 ? "0" : "-" + s) + " " + t[2]);
            }
            k++;
        }
    }

    @Test
    void prometheusServerAnswersQueriesOnOurBlock(@TempDir Path dir) throws Exception {
        String prometheus = PromTools.require("prometheus");
        Path db = dir.resolve("db");
        Files.createDirectories(db);
        long now = System.currentTimeMillis();
        long base = (now - 6 * 3600_000L) / 1000 * 1000;
        Map<String, TreeMap<Long, Long>> want = writeOurs(db, 30, 400, base);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1h\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(prometheus, "--config.file=" + config, "--storage.tsdb.path=" + db,
                "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:" + port)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String url = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean ready = false;
            while (!ready && System.nanoTime() < deadline && p.isAlive()) {
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException e) {
                    // not listening yet
                }
                if (!ready) {
                    Thread.sleep(200);
                }
            }
            assertThat(ready).as("prometheus ready; log: %s", Files.readString(dir.resolve("prometheus.log"))).isTrue();
            ObjectMapper json = new ObjectMapper();
            // Series 3 (a counter) over its whole range, one point per raw sample via an exact-timestamp query.
            int checked = 0;
            for (int s : new int[] {3, 4, 11}) {
                Labels l = labels(s);
                TreeMap<Long, Long> pts = want.get(PromTools.goString(l));
                String selector = l.get("__name__") + "{series=\"" + s + "\"}";
                int i = 0;
                for (Map.Entry<Long, Long> e : pts.entrySet()) {
                    if (i++ % 37 != 0) {
                        continue;
                    }
                    double at = e.getKey() / 1000.0;
                    String q = url + "/api/v1/query?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                            + "&time=" + String.format("%.3f", at);
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(q)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode res = json.readTree(r.body()).path("data").path("result");
                    double v = Double.longBitsToDouble(e.getValue());
                    if (e.getValue() == Double.doubleToRawLongBits(STALE)) {
                        assertThat(res).isEmpty();
                        continue;
                    }
                    assertThat(res).as("query %s", q).hasSize(1);
                    JsonNode point = res.get(0).path("value");
                    assertThat(point.get(0).asDouble()).isEqualTo(at);
                    assertThat(PromTools.bits(PromTools.parseGoFloat(point.get(1).asText()))).as("value at %s", at)
                            .isEqualTo(PromTools.bits(v));
                    assertThat(res.get(0).path("metric").path("odd").asText()).isEqualTo(l.get("odd"));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(20);
            // Label values through the server come from our index.
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/label/odd/values?start="
                    + (base / 1000) + "&end=" + (now / 1000))).build(), HttpResponse.BodyHandlers.ofString());
            List<String> values = new ArrayList<>();
            json.readTree(r.body()).path("data").forEach(n -> values.add(n.asText()));
            List<String> expected = new ArrayList<>(List.of(ODD_VALUES));
            expected.sort(Utf8Order::compare);
            assertThat(values).containsExactlyElementsOf(expected);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

}
