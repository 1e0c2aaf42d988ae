package io.thanosj.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Durations;
import io.thanosj.promql.parser.GoStrconv;
import io.thanosj.promql.storage.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Instant queries whose results were recorded from Prometheus 2.42 itself (see
 * {@code promql/oracle/gen.py}): a fixed dataset, hand-written and randomly generated queries, five
 * evaluation times. Like promtool, samples after the evaluation time are not loaded. Results must
 * agree to 1e-9 relative; errors must agree in their message, except for the order of the two series
 * quoted by a many-to-many error, which depends on Go's map order.
 */
@Tag("unit")
class TestPrometheusDifferential {

    @TestFactory
    Stream<DynamicTest> sameAsPrometheus() throws IOException {
        String content;
        try (InputStream in = getClass().getResourceAsStream("/promql/oracle/differential.tsv")) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long interval = 0;
        List<SeriesDesc> series = new ArrayList<>();
        List<String[]> cases = new ArrayList<>();
        for (String line : content.split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals("#interval")) {
                interval = Durations.parse(f[1]);
            } else if (f[0].equals("#series")) {
                series.add(SeriesDesc.parse(f[1] + " " + f[2]));
            } else {
                cases.add(f);
            }
        }
        long step = interval;
        Map<Long, InMemoryStorage> storages = new HashMap<>();
        Engine engine = new Engine();
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] c : cases) {
            String query = c[0];
            long t = Long.parseLong(c[1]) * 1000;
            String want = c[2];
            if (want.equals("unstable")) {
                continue; // Prometheus itself answered differently from run to run
            }
            tests.add(DynamicTest.dynamicTest(query + " @" + c[1], () -> {
                InMemoryStorage st = storages.computeIfAbsent(t, k -> load(series, step, k));
                String got;
                try {
                    got = render(engine.instantQuery(st, query, t).execute());
                } catch (ThanosException e) {
                    got = "err: " + e.getMessage();
                }
                if (want.startsWith("err: ") || got.startsWith("err: ")) {
                    assertThat(normaliseError(got)).as("%s at %ss", query, c[1]).isEqualTo(normaliseError(want));
                    return;
                }
                assertSameSamples(query + " at " + c[1] + "s", got, want);
            }));
        }
        return tests.stream();
    }

    private static InMemoryStorage load(List<SeriesDesc> series, long step, long until) {
        InMemoryStorage st = new InMemoryStorage();
        for (SeriesDesc s : series) {
            long ts = 0;
            for (Double v : s.values()) {
                if (v != null && ts <= until) {
                    st.append(s.labels(), ts, v);
                }
                ts += step;
            }
        }
        return st;
    }

    /** Which group and pair a many-to-many error names depends on series order, which Go randomises. */
    private static String normaliseError(String e) {
        int i = e.indexOf(": [");
        String s = i < 0 ? e : e.substring(0, i);
        return s.replaceAll("match group \\{.*\\} on the", "match group {...} on the");
    }

    private static String render(QueryResult r) {
        if (r instanceof QueryResult.Scalar s) {
            return "{} " + s.v();
        }
        QueryResult.Vector v = (QueryResult.Vector) r;
        if (v.size() == 0) {
            return "empty";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(v.labels().get(i)).append(' ').append(v.values()[i]);
        }
        return sb.toString();
    }

    private static void assertSameSamples(String what, String got, String want) {
        Map<Labels, Double> g = parseSamples(got);
        Map<Labels, Double> w = parseSamples(want);
        assertThat(g.keySet()).as("series of %s: %s", what, got).containsExactlyInAnyOrderElementsOf(w.keySet());
        for (Map.Entry<Labels, Double> e : w.entrySet()) {
            double a = e.getValue();
            double b = g.get(e.getKey());
            boolean same = (Double.isNaN(a) && Double.isNaN(b)) || a == b
                    || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
            assertThat(same).as("%s: value of %s: want %s, got %s", what, e.getKey(), a, b).isTrue();
        }
    }

    /** Parses promtool's {@code {a="b", c="d"} 1E+00, {...} 2E+00} (or "empty"). */
    static Map<Labels, Double> parseSamples(String s) {
        Map<Labels, Double> out = new TreeMap<>();
        if (s.equals("empty")) {
            return out;
        }
        int i = 0;
        while (i < s.length()) {
            LabelsBuilder b = new LabelsBuilder();
            i = expect(s, i, '{');
            while (s.charAt(i) != '}') {
                int eq = s.indexOf('=', i);
                String name = s.substring(i, eq);
                i = eq + 1;
                int end = stringEnd(s, i);
                b.set(name, unquote(s.substring(i, end)));
                i = end;
                if (s.startsWith(", ", i)) {
                    i += 2;
                }
            }
            i = expect(s, i, '}');
            i = expect(s, i, ' ');
            int comma = s.indexOf(", {", i);
            int end = comma < 0 ? s.length() : comma;
            out.put(b.build(), GoStrconv.parseFloat(s.substring(i, end)));
            i = comma < 0 ? end : end + 2;
        }
        return out;
    }

    private static int expect(String s, int i, char c) {
        if (s.charAt(i) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + " in " + s);
        }
        return i + 1;
    }

    private static int stringEnd(String s, int i) {
        expect(s, i, '"');
        for (int j = i + 1; j < s.length(); j++) {
            if (s.charAt(j) == '\\') {
                j++;
            } else if (s.charAt(j) == '"') {
                return j + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string in " + s);
    }

    private static String unquote(String q) {
        StringBuilder sb = new StringBuilder();
        for (int j = 1; j < q.length() - 1; j++) {
            char c = q.charAt(j);
            if (c == '\\') {
                char n = q.charAt(++j);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
