package io.thanosj.promql.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Durations;
import io.thanosj.promql.parser.Function;
import io.thanosj.promql.storage.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated queries into the parser and the evaluator: whatever the input, only a
 * {@link ThanosException} may come out, and nothing may run past the engine's timeout. Fixed seed,
 * a bounded number of queries and a wall-clock budget keep it deterministic and quick.
 */
@Tag("unit")
class TestPromqlFuzz {
    private static final long SEED = 20230131L;
    private static final int QUERIES = 6000;
    private static final long BUDGET_MS = 20_000;
    private static final String ALPHABET = "abcxyz_:09.eE+-*/%^=!<>~(){}[],\"'`\\@ \n#$\u00e9";
    private static final String[] TOKENS = {"sum", "by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "offset", "@", "start()", "end()", "[5m]", "[5m:1m]", "[1h:]", "(", ")", "{", "}", ",", "\"a\"",
        "job=\"api\"", "=~\".*\"", "and", "or", "unless", "atan2", "^", "1e3", "0x1f", "NaN", "Inf", "-", "+",
        "topk(", "quantile(", "count_values(", "rate(", "histogram_quantile(", "label_replace(", "le", "5m", "1",
        "0", "-1", "9999999999", "metric", "http_requests_total", "temp", "scalar(", "vector(", "absent("};

    @Test
    void onlyThanosExceptionsAndNoHangs() throws IOException {
        InMemoryStorage st = dataset();
        List<String> seeds = seedQueries();
        Engine engine = new Engine(EngineOptions.defaults().withTimeout(Duration.ofSeconds(2)).withMaxSamples(2_000_000));
        Random r = new Random(SEED);
        long deadline = System.currentTimeMillis() + BUDGET_MS;
        for (int i = 0; i < QUERIES && System.currentTimeMillis() < deadline; i++) {
            String q = switch (i % 3) {
                case 0 -> mutate(r, seeds.get(r.nextInt(seeds.size())));
                case 1 -> splice(r, seeds);
                default -> randomTokens(r);
            };
            runOne(engine, st, q, r);
        }
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() throws InterruptedException {
        InMemoryStorage st = new InMemoryStorage();
        Engine engine = new Engine();
        String[][] shapes = {{"(", "1", ")"}, {"-", "1", ""}, {"abs(", "x", ")"}, {"", "1", " + 1"}, {"", "2", " ^ 2"}};
        for (String[] s : shapes) {
            String ok = s[0].repeat(400) + s[1] + s[2].repeat(400);
            engine.instantQuery(st, ok, 0).execute();
            String deep = s[0].repeat(20_000) + s[1] + s[2].repeat(20_000);
            assertThatThrownBy(() -> engine.instantQuery(st, deep, 0).execute()).isInstanceOf(ThanosException.class)
                    .hasMessageContaining("nested too deeply");
        }
        // On a thread with a small stack, depth within the limit fails cleanly as well.
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(null, () -> {
            for (String[] s : shapes) {
                try {
                    engine.instantQuery(st, s[0].repeat(499) + s[1] + s[2].repeat(499), 0).execute();
                } catch (ThanosException expected) {
                    // fine: either it fit or it said why
                } catch (Throwable e) {
                    seen[0] = e;
                }
            }
        }, "small-stack", 128 * 1024);
        t.start();
        t.join();
        if (seen[0] != null) {
            fail("small stack: " + seen[0], seen[0]);
        }
    }

    private static void runOne(Engine engine, InMemoryStorage st, String q, Random r) {
        long t0 = System.nanoTime();
        try {
            long t = r.nextInt(4000) * 1000L - 200_000;
            if (r.nextBoolean()) {
                engine.instantQuery(st, q, t).execute();
            } else {
                engine.rangeQuery(st, q, t, t + r.nextInt(3600) * 1000L, 1000L * (1 + r.nextInt(120))).execute();
            }
        } catch (ThanosException expected) {
            // the only acceptable failure
        } catch (Throwable e) {
            fail("query " + javaString(q) + " threw " + e, e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 5_000) {
            fail("query " + javaString(q) + " ran " + ms + "ms, beyond its 2s timeout");
        }
    }

    private static String javaString(String q) {
        return "\"" + q.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String mutate(Random r, String q) {
        StringBuilder sb = new StringBuilder(q);
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            int pos = sb.length() == 0 ? 0 : r.nextInt(sb.length() + 1);
            switch (r.nextInt(4)) {
                case 0 -> sb.insert(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 1 -> {
                    if (pos < sb.length()) {
                        sb.deleteCharAt(pos);
                    }
                }
                case 2 -> sb.insert(pos, TOKENS[r.nextInt(TOKENS.length)]);
                default -> {
                    if (pos < sb.length()) {
                        int len = Math.min(sb.length() - pos, 1 + r.nextInt(8));
                        String cut = sb.substring(pos, pos + len);
                        sb.delete(pos, pos + len);
                        sb.insert(r.nextInt(sb.length() + 1), cut);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String splice(Random r, List<String> seeds) {
        String a = seeds.get(r.nextInt(seeds.size()));
        String b = seeds.get(r.nextInt(seeds.size()));
        String[] ops = {" + ", " / on(instance) group_left ", " and ", " or ", " > bool ", " unless ignoring(job) ", " ^ "};
        List<String> fns = new ArrayList<>(Function.all().keySet());
        return switch (r.nextInt(3)) {
            case 0 -> "(" + a + ")" + ops[r.nextInt(ops.length)] + "(" + b + ")";
            case 1 -> fns.get(r.nextInt(fns.size())) + "(" + a + ")";
            default -> "max_over_time((" + a + ")[" + (1 + r.nextInt(30)) + "m:" + (1 + r.nextInt(90)) + "s])";
        };
    }

    private static String randomTokens(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int k = 0; k < n; k++) {
            sb.append(TOKENS[r.nextInt(TOKENS.length)]);
            if (r.nextBoolean()) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static List<String> seedQueries() throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = TestPromqlFuzz.class.getResourceAsStream("/promql/oracle/differential.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#")) {
                    String q = line.split("\t")[0];
                    if (out.isEmpty() || !out.get(out.size() - 1).equals(q)) {
                        out.add(q);
                    }
                }
            }
        }
        try (InputStream in = TestPromqlFuzz.class.getResourceAsStream("/promql/parser-oracle.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                out.add(line.substring(0, line.lastIndexOf('\t')));
            }
        }
        return out;
    }

    private static InMemoryStorage dataset() throws IOException {
        InMemoryStorage st = new InMemoryStorage();
        try (InputStream in = TestPromqlFuzz.class.getResourceAsStream("/promql/oracle/differential.tsv")) {
            long interval = 15_000;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
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
                }
            }
        }
        st.append(Labels.of("__name__", "metric", "le", "0.5"), 0, 1);
        return st;
    }
}
