package io.thanosj.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Durations;
import io.thanosj.promql.parser.PromQLParser;
import io.thanosj.promql.parser.ValueType;
import io.thanosj.promql.storage.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * A range query must give at every step what an instant query at that step gives: the evaluator
 * computes all steps in one pass, so this checks the step-vectorised code (windows, bitmaps beyond
 * 64 steps, subquery grids, step-invariant subtrees) against the one-step path. Queries and data are
 * those of the Prometheus differential test.
 */
@Tag("unit")
class TestRangeMatchesInstant {
    private static final String SAME_LABELSET = "vector cannot contain metrics with the same labelset";

    @TestFactory
    Stream<DynamicTest> everyStep() throws IOException {
        String content;
        try (InputStream in = getClass().getResourceAsStream("/promql/oracle/differential.tsv")) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long interval = 0;
        InMemoryStorage st = new InMemoryStorage();
        Set<String> queries = new LinkedHashSet<>();
        for (String line : content.split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals("#interval")) {
                interval = Durations.parse(f[1]);
            } else if (f[0].equals("#series")) {
                SeriesDesc s = SeriesDesc.parse(f[1] + " " + f[2]);
                long t = 0;
                for (Double v : s.values()) {
                    if (v != null) {
                        st.append(s.labels(), t, v);
                    }
                    t += interval;
                }
            } else if (!f[0].contains("start()") && !f[0].contains("end()")) {
                // @ start() and @ end() mean different times in a range query than in an instant query.
                queries.add(f[0]);
            }
        }
        Engine engine = new Engine();
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (String q : queries) {
            // Most queries at 90s steps; every fifth one at 15s, which gives more than 64 steps.
            long step = (i++ % 5 == 0) ? 15_000 : 90_000;
            tests.add(DynamicTest.dynamicTest(q, () -> check(engine, st, q, 0, 3_900_000, step)));
        }
        return tests.stream();
    }

    static void check(Engine engine, InMemoryStorage st, String q, long start, long end, long step) {
        try {
            if (PromQLParser.parse(q).type() != ValueType.VECTOR && PromQLParser.parse(q).type() != ValueType.SCALAR) {
                return;
            }
        } catch (ThanosException e) {
            return;
        }
        QueryResult.Matrix range;
        String rangeError = null;
        try {
            range = (QueryResult.Matrix) engine.rangeQuery(st, q, start, end, step).execute();
        } catch (ThanosException e) {
            range = null;
            rangeError = e.getMessage();
        }
        Map<Labels, Map<Long, Double>> byStep = new HashMap<>();
        if (range != null) {
            for (int s = 0; s < range.size(); s++) {
                Map<Long, Double> m = byStep.computeIfAbsent(range.labels().get(s), k -> new HashMap<>());
                for (int k = 0; k < range.ts().get(s).length; k++) {
                    m.put(range.ts().get(s)[k], range.vs().get(s)[k]);
                }
            }
        }
        boolean anyInstantError = false;
        for (long t = start; t <= end; t += step) {
            QueryResult r;
            try {
                r = engine.instantQuery(st, q, t).execute();
            } catch (ThanosException e) {
                anyInstantError = true;
                continue;
            }
            if (rangeError != null) {
                continue;
            }
            Map<Labels, Double> want = new HashMap<>();
            if (r instanceof QueryResult.Scalar sc) {
                want.put(Labels.EMPTY, sc.v());
            } else {
                QueryResult.Vector v = (QueryResult.Vector) r;
                for (int k = 0; k < v.size(); k++) {
                    want.put(v.labels().get(k), v.values()[k]);
                }
            }
            Map<Labels, Double> got = new HashMap<>();
            for (Map.Entry<Labels, Map<Long, Double>> e : byStep.entrySet()) {
                Double val = e.getValue().get(t);
                if (val != null) {
                    got.put(e.getKey(), val);
                }
            }
            assertThat(got.keySet()).as("%s at %d", q, t).containsExactlyInAnyOrderElementsOf(want.keySet());
            for (Map.Entry<Labels, Double> e : want.entrySet()) {
                double a = e.getValue();
                double b = got.get(e.getKey());
                // Summation order may differ (sort() reorders only instant results): allow rounding noise.
                boolean same = Double.isNaN(a) ? Double.isNaN(b) : a == b || Math.abs(a - b) <= 1e-12 * Math.abs(a);
                assertThat(same).as("%s at %d: %s want %s got %s", q, t,
                        e.getKey(), a, b).isTrue();
            }
        }
        if (rangeError != null && !anyInstantError) {
            // A whole-range check Prometheus also makes: equal label sets across different steps.
            assertThat(rangeError).as(q).isEqualTo(SAME_LABELSET);
        }
    }
}
