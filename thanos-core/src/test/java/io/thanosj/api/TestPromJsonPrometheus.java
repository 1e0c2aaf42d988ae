package io.thanosj.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.thanosj.prometheus.PrometheusProcess;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our JSON for {@code vector(X)} and the scalar {@code X} against Prometheus 2.42's own answer, for
 * tricky and random X: the exponent bounds of sample values, the extremes, halfway ties and the
 * doubles whose JDK 17 Double.toString is not the shortest.
 */
@Tag("integration")
class TestPromJsonPrometheus {
    private static final Pattern SCALAR = Pattern.compile("\"result\":(\\[[^\\]]*\\])");
    private static final Pattern SAMPLE = Pattern.compile("\"value\":(\\[[^\\]]*\\])");
    private static final long T = 1_700_000_000_123L;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void sameValueStringsAsPrometheus(@TempDir Path dir) throws Exception {
        PrometheusProcess.requireBinaries();
        List<Double> values = new ArrayList<>(List.of(0.1, 0.3, 1.0, 123.456, 1e21, Math.nextDown(1e21), Math.nextUp(1e21),
                1e-6, Math.nextDown(1e-6), Math.nextUp(1e-6), 1e-7, 1.5e-7, 5e-324, 1e-323, 2.2250738585072014e-308,
                Double.MAX_VALUE, 2.82879384806159e17, 1.93125733498705376e17, 9.35538e20, 1.9512e22, 6.84798354874497e18,
                1e23, 2e23, 731520487015047.75, 1.78813934326171875e-7, 9007199254740993.0, 0x1p53, 0x1p63, 1e15, 1e16,
                1e100, 33.333333333333336, 0.0, Double.NaN, Double.POSITIVE_INFINITY));
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 150; i++) {
            values.add(switch (i % 3) {
                case 0 -> Double.longBitsToDouble(rnd.nextLong() & Long.MAX_VALUE);
                case 1 -> rnd.nextInt(1_000_000) / 1000.0;
                default -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30));
            });
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  evaluation_interval: 1m\n");
        try (PrometheusProcess prom = PrometheusProcess.start(dir.resolve("data"), config, PrometheusProcess.freePort())) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    check(prom, v);
                    continue;
                }
                check(prom, v);
                check(prom, -v);
            }
        }
    }

    private static void check(PrometheusProcess prom, double v) throws Exception {
        String lit = literal(v);
        String scalar = extract(SCALAR, get(prom, query(lit)));
        assertThat(ours(g -> PromJson.writeScalar(g, T, v))).as("scalar %s", lit).isEqualTo(scalar);
        String sample = extract(SAMPLE, get(prom, query("vector(" + lit + ")")));
        assertThat(ours(g -> {
            g.writeStartArray();
            PromJson.writeTimestamp(g, T);
            PromJson.writeValue(g, v);
            g.writeEndArray();
        })).as("vector(%s)", lit).isEqualTo(sample);
    }

    /** One HTTP/1.1 client for all queries: a client per request costs a connection setup each. */
    private static String get(PrometheusProcess prom, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prom.url() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        return r.body();
    }

    /** A PromQL literal that Go parses to exactly {@code v}: 17 significant digits always do. */
    private static String literal(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        String s = new BigDecimal(Math.abs(v)).round(new MathContext(17)).toString();
        return v < 0 ? "-" + s : s;
    }

    private static String query(String expr) {
        return "/api/v1/query?time=" + PromJson.formatTimestamp(T) + "&query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8);
    }

    private static String extract(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as("value in %s", body).isTrue();
        return m.group(1);
    }

    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    private static String ours(Writing w) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            w.write(g);
        }
        return out.toString();
    }
}
