package io.thanosj.promql.engine;

import static org.junit.jupiter.api.Assertions.fail;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.AtModifier;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.PromQLParser;
import io.thanosj.promql.storage.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Runs Prometheus 2.42's PromQL test scripts from the shared {@code promql-testdata} directory, read
 * at test time. Like Prometheus's runner, every eval is checked as an instant query, as the middle
 * step of a range query around it, and (when the query has no time-dependent function) again with
 * {@code @ <eval time>} added to every selector, at five other evaluation times. Evals listed in
 * {@code promql/known-failures.txt} must fail; a listed eval that passes fails the run so the list
 * only shrinks.
 */
@Tag("unit")
class TestPromqlConformance {
    private static final double EPSILON = 0.000001;
    private static final double MIN_NORMAL = Double.MIN_NORMAL;

    @TestFactory
    Stream<DynamicNode> scripts() throws IOException {
        Path dir = testdataDir();
        Set<String> known = knownFailures();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no .test files in " + dir);
        }
        Set<String> listedSeen = new HashSet<>();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            TestScript script = TestScript.parse(Files.readString(f));
            ScriptRun run = new ScriptRun(script);
            List<DynamicTest> tests = new ArrayList<>();
            for (int i = 0; i < script.commands.size(); i++) {
                if (!(script.commands.get(i) instanceof TestScript.Eval e)) {
                    continue;
                }
                int idx = i;
                String key = name + ":" + e.line();
                boolean listed = known.contains(key);
                if (listed) {
                    listedSeen.add(key);
                }
                tests.add(DynamicTest.dynamicTest(key + " " + e.expr(), () -> {
                    String err = run.runUpTo(idx);
                    if (err == null && listed) {
                        fail(key + " passes now: remove it from promql/known-failures.txt");
                    }
                    if (err != null && !listed) {
                        fail(err);
                    }
                    if (err != null) {
                        throw new TestAbortedException("known failure: " + err);
                    }
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(name, tests));
        }
        for (String k : known) {
            if (!listedSeen.contains(k)) {
                throw new IllegalStateException("promql/known-failures.txt lists " + k + ", which is not an eval");
            }
        }
        return nodes.stream();
    }

    /** The shared testdata: from -Dthanosj.shared.dir, else the first shared/promql-testdata up from the working dir. */
    static Path testdataDir() {
        String prop = System.getProperty("thanosj.shared.dir");
        if (prop != null) {
            Path p = Paths.get(prop, "promql-testdata");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("promql-testdata");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("PromQL testdata not found: set -Dthanosj.shared.dir (was " + prop
                + ") or run below a directory containing shared/promql-testdata");
    }

    private static Set<String> knownFailures() throws IOException {
        Set<String> out = new HashSet<>();
        try (InputStream in = TestPromqlConformance.class.getResourceAsStream("/promql/known-failures.txt")) {
            if (in == null) {
                return out;
            }
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                l = l.trim();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l.split("\\s+")[0]);
                }
            }
        }
        return out;
    }

    /** Executes a script's commands in order against one storage, as the tests ask for them. */
    static final class ScriptRun {
        private final TestScript script;
        private final InMemoryStorage storage = new InMemoryStorage();
        private final Engine engine = new Engine(EngineOptions.defaults().withTimeout(Duration.ofSeconds(30)));
        private int next;

        ScriptRun(TestScript script) {
            this.script = script;
        }

        /** Runs commands up to and including {@code idx}; returns the eval's failure, or null. */
        synchronized String runUpTo(int idx) {
            while (next < idx) {
                TestScript.Command c = script.commands.get(next++);
                if (c instanceof TestScript.Load l) {
                    load(l);
                } else if (c instanceof TestScript.Clear) {
                    storage.clear();
                }
            }
            next = idx + 1;
            try {
                return eval((TestScript.Eval) script.commands.get(idx));
            } catch (RuntimeException e) {
                return "unexpected " + e;
            }
        }

        private void load(TestScript.Load l) {
            // Like Prometheus's loadCmd, a later line for the same series replaces an earlier one.
            Map<Labels, SeriesDesc> defs = new HashMap<>();
            for (SeriesDesc s : l.series()) {
                defs.put(s.labels(), s);
            }
            for (SeriesDesc s : defs.values()) {
                long t = 0;
                for (Double v : s.values()) {
                    if (v != null) {
                        storage.append(s.labels(), t, v);
                    }
                    t += l.intervalMs();
                }
            }
        }

        private String eval(TestScript.Eval e) {
            List<String[]> cases = new ArrayList<>();
            cases.add(new String[] {e.expr(), Long.toString(e.timeMs())});
            for (long t : atModifierTimes(e.timeMs())) {
                String withAt = withAtModifier(e.expr(), e.timeMs());
                if (withAt == null) {
                    break;
                }
                cases.add(new String[] {withAt, Long.toString(t)});
            }
            for (String[] c : cases) {
                String expr = c[0];
                long t = Long.parseLong(c[1]);
                QueryResult res;
                try {
                    res = engine.instantQuery(storage, expr, t).execute();
                } catch (ThanosException ex) {
                    if (e.fail()) {
                        continue;
                    }
                    return "error evaluating " + expr + " at " + t + ": " + ex.getMessage();
                }
                if (e.fail()) {
                    return "expected error evaluating " + expr + " at " + t + " but got none";
                }
                String err = compare(e, res);
                if (err != null) {
                    return "instant " + expr + " at " + t + ": " + err;
                }
                QueryResult range;
                try {
                    range = engine.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000).execute();
                } catch (ThanosException ex) {
                    return "error evaluating " + expr + " in range mode: " + ex.getMessage();
                }
                if (e.ordered()) {
                    continue;
                }
                err = compare(e, middleStep((QueryResult.Matrix) range, t, res instanceof QueryResult.Scalar));
                if (err != null) {
                    return "range mode " + expr + " at " + t + ": " + err;
                }
            }
            return null;
        }

        private static QueryResult middleStep(QueryResult.Matrix m, long t, boolean scalar) {
            List<Labels> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                long[] ts = m.ts().get(i);
                for (int j = 0; j < ts.length; j++) {
                    if (ts[j] == t) {
                        labels.add(m.labels().get(i));
                        values.add(m.vs().get(i)[j]);
                        break;
                    }
                }
            }
            if (scalar) {
                return new QueryResult.Scalar(t, values.isEmpty() ? Double.NaN : values.get(0), List.of());
            }
            double[] v = new double[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values.get(i);
            }
            return new QueryResult.Vector(t, labels, v, List.of());
        }

        private static String compare(TestScript.Eval e, QueryResult res) {
            if (res instanceof QueryResult.Matrix) {
                return "received range result on instant evaluation";
            }
            if (res instanceof QueryResult.Scalar s) {
                if (!e.scalar()) {
                    return "expected a vector, got scalar " + s.v();
                }
                double want = e.expected().get(0).value();
                return almostEqual(want, s.v()) ? null : "expected scalar " + want + " but got " + s.v();
            }
            if (!(res instanceof QueryResult.Vector v)) {
                return "unexpected result type " + res.type();
            }
            if (e.scalar()) {
                return "expected a scalar, got a vector of " + v.size();
            }
            Map<Labels, TestScript.Expected> want = new HashMap<>();
            for (TestScript.Expected x : e.expected()) {
                want.put(x.labels(), x);
            }
            Set<Labels> seen = new HashSet<>();
            for (int i = 0; i < v.size(); i++) {
                Labels l = v.labels().get(i);
                TestScript.Expected x = want.get(l);
                if (x == null) {
                    return "unexpected metric " + l + " in result (value " + v.values()[i] + ")";
                }
                if (e.ordered() && x.pos() != i + 1) {
                    return "expected metric " + l + " at position " + x.pos() + " but was at " + (i + 1);
                }
                if (!almostEqual(x.value(), v.values()[i])) {
                    return "expected " + x.value() + " for " + l + " but got " + v.values()[i];
                }
                seen.add(l);
            }
            for (Labels l : want.keySet()) {
                if (!seen.contains(l)) {
                    return "expected metric " + l + " not found";
                }
            }
            return null;
        }
    }

    static boolean almostEqual(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || diff < MIN_NORMAL) {
            return diff < EPSILON * MIN_NORMAL;
        }
        return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
    }

    static long[] atModifierTimes(long ts) {
        if (ts == 0) {
            return new long[] {-1000, 0, 1000};
        }
        return new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
    }

    /**
     * The query with {@code @ ts} on every selector and subquery that has none, leaving the insides of
     * subqueries alone; null when the query uses a function whose result depends on the evaluation time.
     */
    static String withAtModifier(String query, long ts) {
        Expr e = PromQLParser.parse(query);
        if (AtRewriter.usesUnsafeFunction(e)) {
            return null;
        }
        return AtRewriter.setAt(e, ts).toString();
    }

    static boolean isNone(AtModifier a) {
        return a == AtModifier.NONE || a == AtModifier.START || a == AtModifier.END;
    }
}
