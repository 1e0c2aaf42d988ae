package io.thanosj.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelMatcher;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.SeriesSets;
import io.thanosj.store.StoreInfo;
import io.thanosj.tsdb.chunk.XorChunk;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrometheusStore} against a real Prometheus 2.42 holding promtool-written blocks. */
@Tag("integration")
class TestPrometheusStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Three hours of 15s samples, aligned to the hour, ending at least two hours ago. */
    static long start;
    static long end;

    @TempDir
    static Path tmp;
    static PrometheusProcess prom;
    static PrometheusStore store;
    static PromMetadata meta;

    @BeforeAll
    static void startPrometheus() throws Exception {
        PrometheusProcess.requireBinaries();
        long now = System.currentTimeMillis();
        start = (now - 6 * 3_600_000L) / 3_600_000L * 3_600_000L;
        end = start + 3 * 3_600_000L - 15_000;
        Path data = tmp.resolve("data");
        PrometheusProcess.createBlocks(data, openMetrics(start, end));
        int port = PrometheusProcess.freePort();
        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, PrometheusProcess.selfScrapeConfig(port, "cluster", "test", "replica", "r0"));
        prom = PrometheusProcess.start(data, cfg, port);
        meta = new PromMetadata(new PromClient(URI.create(prom.url()), Duration.ofSeconds(10)), Long.MIN_VALUE);
        meta.refresh();
        store = new PrometheusStore(meta);
    }

    @AfterAll
    static void stopPrometheus() {
        if (prom != null) {
            prom.close();
        }
    }

    /** Series m{instance=a|b|c}, a prefix pair p{a="1"} / p{a="1",b="x"}, and q with its own replica label. */
    static String openMetrics(long start, long end) {
        StringBuilder sb = new StringBuilder("# TYPE m gauge\n# TYPE p gauge\n# TYPE q gauge\n");
        for (long t = start; t <= end; t += 15_000) {
            long i = (t - start) / 15_000;
            for (String inst : new String[] {"a", "b", "c"}) {
                sb.append("m{instance=\"").append(inst).append("\",job=\"j\"} ").append(i % 97 + inst.charAt(0) * 0.25)
                        .append(' ').append(t / 1000).append('\n');
            }
            if (i % 20 == 0) {
                sb.append("p{a=\"1\"} ").append(i).append(' ').append(t / 1000).append('\n');
                sb.append("p{a=\"1\",b=\"x\"} ").append(-i).append(' ').append(t / 1000).append('\n');
                sb.append("q{replica=\"local\"} 1 ").append(t / 1000).append('\n');
            }
        }
        return sb.append("# EOF\n").toString();
    }

    static LabelMatcher eq(String n, String v) {
        return LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName(n).setValue(v).build();
    }

    static LabelMatcher re(String n, String v) {
        return LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName(n).setValue(v).build();
    }

    /** Samples of each series decoded from the chunks, keyed by labels. */
    static Map<Labels, List<double[]>> samples(List<SeriesSets.Entry> series) {
        Map<Labels, List<double[]>> out = new LinkedHashMap<>();
        for (SeriesSets.Entry e : series) {
            List<double[]> pts = out.computeIfAbsent(e.labels(), k -> new ArrayList<>());
            for (AggrChunk c : e.chunks()) {
                SampleIterator it = XorChunk.wrap(c.getRaw().getData().toByteArray()).iterator();
                while (it.next()) {
                    pts.add(new double[] {it.t(), it.v()});
                }
            }
        }
        return out;
    }

    /** Prometheus's own raw samples: an instant query of a range selector. */
    static Map<Labels, List<double[]>> promSamples(String selector, long from, long to) throws Exception {
        String q = selector + "[" + ((to - from) / 1000 + 1) + "s]";
        JsonNode res = JSON.readTree(prom.get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&time=" + PromClient.seconds(to))).path("data").path("result");
        Map<Labels, List<double[]>> out = new LinkedHashMap<>();
        for (JsonNode s : res) {
            Map<String, String> m = new LinkedHashMap<>();
            s.path("metric").fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
            List<double[]> pts = new ArrayList<>();
            for (JsonNode v : s.path("values")) {
                pts.add(new double[] {Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText())});
            }
            out.put(Labels.fromMap(m), pts);
        }
        return out;
    }

    @Test
    void seriesReturnExactlyPrometheussSamplesWithExternalLabels() throws Exception {
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end).addMatchers(eq("__name__", "m")).build();
        Map<Labels, List<double[]>> got = samples(SeriesSets.drain(store.series(r)));
        Map<Labels, List<double[]>> want = promSamples("m", start, end);
        assertThat(want).hasSize(3);
        assertThat(got).hasSize(3);
        for (Map.Entry<Labels, List<double[]>> w : want.entrySet()) {
            Labels withExt = new io.thanosj.model.LabelsBuilder(w.getKey()).set("cluster", "test").set("replica", "r0").build();
            assertThat(got).containsKey(withExt);
            assertThat(got.get(withExt)).as("samples of %s", withExt).containsExactlyElementsOf(w.getValue());
        }
        assertThat(got.values().iterator().next()).hasSize((int) ((end - start) / 15_000 + 1));
    }

    @Test
    void seriesAreSortedAfterExternalLabelsAreAddedAndWinOverPrometheussOwn() {
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end).addMatchers(re("__name__", "p|q")).build();
        List<Labels> got = SeriesSets.drain(store.series(r)).stream().map(SeriesSets.Entry::labels).toList();
        assertThat(got).containsExactly(
                Labels.of("__name__", "p", "a", "1", "b", "x", "cluster", "test", "replica", "r0"),
                Labels.of("__name__", "p", "a", "1", "cluster", "test", "replica", "r0"),
                Labels.of("__name__", "q", "cluster", "test", "replica", "r0"));
        // without_replica_labels drops the external label.
        SeriesRequest w = r.toBuilder().addWithoutReplicaLabels("replica").setSkipChunks(true).build();
        assertThat(SeriesSets.drain(store.series(w))).extracting(SeriesSets.Entry::labels).containsExactly(
                Labels.of("__name__", "p", "a", "1", "b", "x", "cluster", "test"),
                Labels.of("__name__", "p", "a", "1", "cluster", "test"),
                Labels.of("__name__", "q", "cluster", "test"));
    }

    @Test
    void externalLabelMatchersAreAnsweredBySidecar() {
        SeriesRequest.Builder r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end).addMatchers(eq("__name__", "m"));
        assertThat(SeriesSets.drain(store.series(r.clone().addMatchers(eq("cluster", "other")).build()))).isEmpty();
        assertThat(SeriesSets.drain(store.series(r.clone().addMatchers(re("cluster", "te.*")).build()))).hasSize(3);
        assertThatThrownBy(() -> store.series(SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end)
                .addMatchers(eq("cluster", "test")).build()))
                .isInstanceOf(ThanosException.class)
                .hasMessage("no matchers specified (excluding external labels)");
    }

    @Test
    void skipChunksLabelNamesAndValues() {
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end).setSkipChunks(true)
                .addMatchers(eq("__name__", "m")).build();
        List<SeriesSets.Entry> s = SeriesSets.drain(store.series(r));
        assertThat(s).extracting(SeriesSets.Entry::labels).containsExactly(
                Labels.of("__name__", "m", "cluster", "test", "instance", "a", "job", "j", "replica", "r0"),
                Labels.of("__name__", "m", "cluster", "test", "instance", "b", "job", "j", "replica", "r0"),
                Labels.of("__name__", "m", "cluster", "test", "instance", "c", "job", "j", "replica", "r0"));
        assertThat(s).allSatisfy(e -> assertThat(e.chunks()).isEmpty());

        LabelNamesRequest ln = LabelNamesRequest.newBuilder().setStart(start).setEnd(end).addMatchers(eq("__name__", "m")).build();
        assertThat(store.labelNames(ln).getNamesList()).containsExactly("__name__", "cluster", "instance", "job", "replica");
        assertThat(store.labelNames(ln.toBuilder().addWithoutReplicaLabels("replica").build()).getNamesList())
                .containsExactly("__name__", "cluster", "instance", "job");

        LabelValuesRequest lv = LabelValuesRequest.newBuilder().setLabel("instance").setStart(start).setEnd(end)
                .addMatchers(eq("__name__", "m")).build();
        assertThat(store.labelValues(lv).getValuesList()).containsExactly("a", "b", "c");
        assertThat(store.labelValues(lv.toBuilder().setLabel("cluster").build()).getValuesList()).containsExactly("test");
        assertThat(store.labelValues(lv.toBuilder().setLabel("cluster").clearMatchers().addMatchers(eq("__name__", "nope")).build())
                .getValuesList()).isEmpty();
        assertThat(store.labelValues(lv.toBuilder().addMatchers(eq("replica", "other")).build()).getValuesList()).isEmpty();
    }

    @Test
    void infoHasExternalLabelsAndTheOldestTimestamp() {
        StoreInfo info = store.info();
        assertThat(info.labelSets()).containsExactly(Labels.of("cluster", "test", "replica", "r0"));
        assertThat(info.minTime()).isEqualTo(start);
        assertThat(info.maxTime()).isEqualTo(Long.MAX_VALUE);
        PromMetadata limited = new PromMetadata(meta.client(), start + 3_600_000);
        limited.refresh();
        assertThat(new PrometheusStore(limited).info().minTime()).isEqualTo(start + 3_600_000);
        // Requests before --min-time are cut there.
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end).addMatchers(eq("__name__", "m")).build();
        List<SeriesSets.Entry> cut = SeriesSets.drain(new PrometheusStore(limited).series(r));
        assertThat(cut).hasSize(3);
        assertThat(cut).allSatisfy(e -> assertThat(e.chunks()).isNotEmpty()
                .allSatisfy(c -> assertThat(c.getMaxTime()).isGreaterThanOrEqualTo(start + 3_600_000)));
        long full = SeriesSets.drain(store.series(r)).get(0).chunks().size();
        assertThat(cut.get(0).chunks().size()).isLessThan((int) full);
        assertThat(meta.version()).startsWith("2.");
    }

    @Test
    void unreachablePrometheusIsUnavailableNamingTheUrl() {
        String url = "http://127.0.0.1:" + PrometheusProcess.freePort();
        PromMetadata down = new PromMetadata(new PromClient(URI.create(url), Duration.ofSeconds(2)), Long.MIN_VALUE);
        assertThatThrownBy(down::refresh).isInstanceOf(ThanosException.class)
                .hasMessageContaining(url)
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> new PrometheusStore(down).info())
                .isInstanceOf(ThanosException.class).hasMessageContaining(url).hasMessageContaining("not been reached");
    }
}
