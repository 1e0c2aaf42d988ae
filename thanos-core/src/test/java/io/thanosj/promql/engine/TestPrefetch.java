package io.thanosj.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.storage.ForwardingQueryable;
import io.thanosj.promql.storage.ForwardingSeriesSet;
import io.thanosj.promql.storage.InMemoryStorage;
import io.thanosj.promql.storage.SelectHints;
import io.thanosj.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Selects opened before evaluation ({@link Prefetch}): order, ranges, closing, and unchanged results. */
@Tag("unit")
class TestPrefetch {
    private static final long MIN = 60_000;

    /** Storage that logs "open name [mint,maxt] range", "next name" and "close name" events. */
    static final class Recording extends ForwardingQueryable {
        final InMemoryStorage data = (InMemoryStorage) in;
        final List<String> log = new ArrayList<>();
        String failOn;

        Recording() {
            super(new InMemoryStorage());
            for (String name : List.of("a", "b", "c")) {
                for (String job : List.of("x", "y")) {
                    Labels l = Labels.of("__name__", name, "job", job);
                    for (int i = 0; i <= 120; i++) {
                        data.append(l, i * 15_000L, name.charAt(0) * 10 + i * (job.equals("x") ? 1 : 3));
                    }
                }
            }
        }

        @Override
        public synchronized SeriesSet select(SelectHints hints, List<Matcher> matchers) {
            String name = matchers.stream().filter(m -> m.name().equals("__name__")).findFirst().orElseThrow().value();
            if (name.equals(failOn)) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "store of " + name + " is down");
            }
            log.add("open " + name + " [" + hints.start() + "," + hints.end() + "] " + hints.range());
            return new ForwardingSeriesSet(data.select(hints, matchers)) {
                boolean first = true;

                @Override
                public boolean next() {
                    if (first) {
                        log.add("next " + name);
                        first = false;
                    }
                    return in.next();
                }

                @Override
                public void close() {
                    log.add("close " + name);
                    in.close();
                }
            };
        }

        long count(String prefix) {
            return log.stream().filter(s -> s.startsWith(prefix)).count();
        }
    }

    private static Engine engine(int selects) {
        return new Engine(EngineOptions.defaults().withMaxConcurrentSelects(selects));
    }

    @Test
    void everySelectorOfABinaryExpressionIsOpenedBeforeAnyIsRead() {
        Recording st = new Recording();
        engine(4).rangeQuery(st, "sum by (job) (rate(a[5m])) / on (job) sum by (job) (rate(b[5m] offset 1m))",
                10 * MIN, 30 * MIN, MIN).execute();
        assertThat(st.log).startsWith("open a [300000,1800000] 300000", "open b [240000,1740000] 300000", "next a");
        // Evaluation took the prefetched selects: nothing was opened twice and everything was closed.
        assertThat(st.count("open ")).isEqualTo(2);
        assertThat(st.count("close ")).isEqualTo(2);
    }

    @Test
    void oneConcurrentSelectOpensEachWhenEvaluationReachesIt() {
        Recording st = new Recording();
        engine(1).instantQuery(st, "a + b", 20 * MIN).execute();
        assertThat(st.log).containsExactly("open a [900000,1200000] 0", "next a", "close a",
                "open b [900000,1200000] 0", "next b", "close b");
    }

    @Test
    void theLimitBoundsHowManyAreOpenedAhead() {
        Recording st = new Recording();
        engine(2).instantQuery(st, "a + b + c", 20 * MIN).execute();
        assertThat(st.log.subList(0, 3)).containsExactly("open a [900000,1200000] 0", "open b [900000,1200000] 0", "next a");
        assertThat(st.log.indexOf("open c [900000,1200000] 0")).isGreaterThan(st.log.indexOf("next b"));
        assertThat(st.count("open ")).isEqualTo(3);
        assertThat(st.count("close ")).isEqualTo(3);
    }

    @Test
    void selectorsInsideSubqueriesAreLeftToEvaluationAndNothingIsSelectedTwice() {
        Recording st = new Recording();
        engine(4).instantQuery(st, "max_over_time(rate(a[2m])[10m:1m]) + b @ 600", 25 * MIN).execute();
        assertThat(st.log.get(0)).isEqualTo("open b [300000,600000] 0");
        assertThat(st.count("open a ")).isEqualTo(1);
        assertThat(st.count("open ")).isEqualTo(st.count("close ")).isEqualTo(2);
    }

    @Test
    void resultsAreTheSameWithAndWithoutPrefetching() {
        String[] queries = {
            "a + b", "rate(a[5m]) * on (job) group_left rate(b[5m])", "sum(a) - count(b offset 2m) / avg(c @ 900)",
            "max_over_time(a[10m:2m]) + b", "topk(1, a) or c", "absent(d) + a", "a > bool 1000", "-a + time()",
            "histogram_quantile(0.5, b)", "label_replace(a, \"j\", \"$1\", \"job\", \"(.*)\") + ignoring (j) b",
        };
        for (String q : queries) {
            assertThat(render(engine(4).rangeQuery(new Recording(), q, 5 * MIN, 30 * MIN, 30_000).execute()))
                    .as(q).isEqualTo(render(engine(1).rangeQuery(new Recording(), q, 5 * MIN, 30 * MIN, 30_000).execute()));
            assertThat(render(engine(4).instantQuery(new Recording(), q, 17 * MIN).execute()))
                    .as(q).isEqualTo(render(engine(1).instantQuery(new Recording(), q, 17 * MIN).execute()));
        }
    }

    @Test
    void aFailingEvaluationClosesTheSelectsItDidNotTake() {
        Recording st = new Recording();
        // Many-to-many matching fails after both sides are read; c was opened ahead and never read.
        assertThatThrownBy(() -> engine(4).instantQuery(st, "(a + on () b) + c", 20 * MIN).execute())
                .isInstanceOf(ThanosException.class);
        assertThat(st.count("open ")).isEqualTo(st.count("close "));
        assertThat(st.log).doesNotContain("next c");
    }

    @Test
    void aSelectThatFailsAheadFailsTheQueryWhereEvaluationMeetsIt() {
        Recording st = new Recording();
        st.failOn = "b";
        assertThatThrownBy(() -> engine(4).instantQuery(st, "a + b", 20 * MIN).execute())
                .isInstanceOf(ThanosException.class).hasMessageContaining("store of b is down");
        // a was read first, as without prefetching, and every opened select was closed.
        assertThat(st.log).contains("next a");
        assertThat(st.count("open ")).isEqualTo(st.count("close "));
    }

    private static String render(QueryResult r) {
        if (r instanceof QueryResult.Matrix m) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < m.size(); i++) {
                sb.append(m.labels().get(i)).append(Arrays.toString(m.ts().get(i))).append(Arrays.toString(m.vs().get(i))).append('\n');
            }
            return sb.toString();
        }
        if (r instanceof QueryResult.Vector v) {
            return v.labels() + Arrays.toString(v.values());
        }
        return r.toString();
    }
}
