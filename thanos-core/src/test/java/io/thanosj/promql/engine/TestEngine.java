package io.thanosj.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.ValueType;
import io.thanosj.promql.storage.ForwardingQueryable;
import io.thanosj.promql.storage.ForwardingSeriesSet;
import io.thanosj.promql.storage.InMemoryStorage;
import io.thanosj.promql.storage.Queryable;
import io.thanosj.promql.storage.SelectHints;
import io.thanosj.promql.storage.SeriesSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Engine mechanics the test scripts do not cover: limits, timeout, cancellation, hints, result shapes. */
@Tag("unit")
class TestEngine {
    private static final Labels A = Labels.of("__name__", "m", "job", "a");
    private static final Labels B = Labels.of("__name__", "m", "job", "b");

    private static InMemoryStorage storage() {
        InMemoryStorage st = new InMemoryStorage();
        for (int i = 0; i <= 600; i++) {
            st.append(A, i * 10_000L, i);
            st.append(B, i * 10_000L, 2 * i);
        }
        return st;
    }

    private static ThanosException failure(Runnable r) {
        try {
            r.run();
        } catch (ThanosException e) {
            return e;
        }
        throw new AssertionError("expected a ThanosException");
    }

    @Test
    void sampleLimitFailsTheQuery() {
        Engine engine = new Engine(EngineOptions.defaults().withMaxSamples(500));
        ThanosException e = failure(() -> engine.rangeQuery(storage(), "m", 0, 6_000_000, 10_000).execute());
        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).isEqualTo("query processing would load too many samples into memory in query execution");
        // The same query fits a larger limit.
        Engine big = new Engine(EngineOptions.defaults().withMaxSamples(10_000));
        assertThat(big.rangeQuery(storage(), "m", 0, 6_000_000, 10_000).execute()).isInstanceOf(QueryResult.Matrix.class);
    }

    @Test
    void tooManyStepsFailsBeforeAllocating() {
        Engine engine = new Engine(EngineOptions.defaults().withMaxSamples(1000));
        ThanosException e = failure(() -> engine.rangeQuery(storage(), "vector(1)", 0, 1L << 40, 1));
        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    }

    @Test
    void hugeSubqueryGridFailsBeforeAllocating() {
        Engine engine = new Engine(EngineOptions.defaults().withMaxSamples(1_000_000));
        for (String q : new String[] {"max_over_time(m[10d:1ms])", "max_over_time(m[1y:1ms])", "m[1d:1ms]"}) {
            ThanosException e = failure(() -> engine.instantQuery(storage(), q, 0).execute());
            assertThat(e.code()).as(q).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        }
    }

    @Test
    void timeoutUsesTheInjectedClock() {
        AtomicLong now = new AtomicLong();
        // Every look at the clock advances it by one second: a 5s timeout trips after a few checks.
        Engine engine = new Engine(EngineOptions.defaults().withTimeout(Duration.ofSeconds(5))
                .withNanoClock(() -> now.addAndGet(1_000_000_000L)));
        ThanosException e = failure(() -> engine.rangeQuery(storage(), "sum(rate(m[1m])) + sum(m)", 0, 6_000_000, 10_000)
                .execute());
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.getMessage()).startsWith("query timed out in expression evaluation");
    }

    @Test
    void cancelFromAnotherThreadStopsTheQuery() {
        InMemoryStorage st = storage();
        Query[] holder = new Query[1];
        Queryable cancelling = new ForwardingQueryable(st) {
            @Override
            public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
                Thread t = new Thread(() -> holder[0].cancel());
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return in.select(hints, matchers);
            }
        };
        Engine engine = new Engine();
        holder[0] = engine.rangeQuery(cancelling, "sum(m) + sum(m)", 0, 6_000_000, 10_000);
        ThanosException e = failure(() -> holder[0].execute());
        assertThat(e.code()).isEqualTo(ErrorCode.CANCELED);
    }

    @Test
    void cancelledBeforeExecuteNeverRuns() {
        Query q = new Engine().instantQuery(storage(), "m", 0);
        q.cancel();
        assertThat(failure(q::execute).code()).isEqualTo(ErrorCode.CANCELED);
    }

    @Test
    void lookbackDeltaIsConfigurable() {
        InMemoryStorage st = new InMemoryStorage();
        st.append(A, 0, 1);
        assertThat(((QueryResult.Vector) new Engine().instantQuery(st, "m", 120_000).execute()).size()).isEqualTo(1);
        Engine shortLookback = new Engine(EngineOptions.defaults().withLookbackDelta(Duration.ofMinutes(1)));
        assertThat(((QueryResult.Vector) shortLookback.instantQuery(st, "m", 120_000).execute()).size()).isZero();
        assertThat(((QueryResult.Vector) shortLookback.instantQuery(st, "m", 60_000).execute()).size()).isEqualTo(1);
    }

    @Test
    void hintsCarryRangeFunctionAndGrouping() {
        InMemoryStorage st = storage();
        List<SelectHints> seen = new ArrayList<>();
        Queryable spy = new Queryable() {
            @Override
            public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
                seen.add(hints);
                return st.select(hints, matchers);
            }

            @Override
            public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }
        };
        new Engine().rangeQuery(spy, "sum by (job) (rate(m[5m])) / sum without (job) (m offset 1m)",
                600_000, 1_200_000, 60_000).execute();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo(new SelectHints(300_000, 1_200_000, 60_000, 300_000, "rate", List.of(), false));
        assertThat(seen.get(1)).isEqualTo(new SelectHints(240_000, 1_140_000, 60_000, 0, "sum", List.of("job"), false));
    }

    @Test
    void storageFailuresBecomeUnavailable() {
        Queryable broken = new Queryable() {
            @Override
            public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
                throw new IllegalStateException("connection reset");
            }

            @Override
            public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }
        };
        ThanosException e = failure(() -> new Engine().instantQuery(broken, "m", 0).execute());
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("connection reset").contains("m");
    }

    @Test
    void warningsFromStorageReachTheResult() {
        InMemoryStorage st = storage();
        Queryable warning = new Queryable() {
            @Override
            public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
                return new ForwardingSeriesSet(st.select(hints, matchers)) {
                    @Override
                    public List<String> warnings() {
                        return List.of("store 10.0.0.1:10901 did not answer");
                    }
                };
            }

            @Override
            public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }
        };
        assertThat(new Engine().instantQuery(warning, "sum(m)", 100_000).execute().warnings())
                .containsExactly("store 10.0.0.1:10901 did not answer");
    }

    @Test
    void rangeQueryArgumentsAreChecked() {
        Engine engine = new Engine();
        InMemoryStorage st = storage();
        assertThatThrownBy(() -> engine.rangeQuery(st, "m", 0, 100, 0)).isInstanceOf(ThanosException.class)
                .hasMessageContaining("zero or negative query resolution step widths are not accepted");
        assertThatThrownBy(() -> engine.rangeQuery(st, "m", 100, 0, 10)).isInstanceOf(ThanosException.class)
                .hasMessage("end timestamp must not be before start time");
        assertThatThrownBy(() -> engine.rangeQuery(st, "m[5m]", 0, 100, 10)).isInstanceOf(ThanosException.class)
                .hasMessage("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
        assertThatThrownBy(() -> engine.rangeQuery(st, "\"s\"", 0, 100, 10)).isInstanceOf(ThanosException.class)
                .hasMessageContaining("\"string\"");
        assertThatThrownBy(() -> engine.instantQuery(st, "sum(", 0)).isInstanceOf(ThanosException.class)
                .hasMessage("1:5: parse error: unclosed left parenthesis");
    }

    @Test
    void resultShapes() {
        Engine engine = new Engine();
        InMemoryStorage st = storage();
        QueryResult.Matrix raw = (QueryResult.Matrix) engine.instantQuery(st, "m{job=\"a\"}[30s]", 100_000).execute();
        assertThat(raw.labels()).containsExactly(A);
        assertThat(raw.ts().get(0)).containsExactly(70_000, 80_000, 90_000, 100_000);
        assertThat(raw.vs().get(0)).containsExactly(7, 8, 9, 10);

        QueryResult.Scalar s = (QueryResult.Scalar) engine.instantQuery(st, "1 + 2", 5_000).execute();
        assertThat(s.t()).isEqualTo(5_000);
        assertThat(s.v()).isEqualTo(3);

        QueryResult.Str str = (QueryResult.Str) engine.instantQuery(st, "\"hello\"", 5_000).execute();
        assertThat(str.v()).isEqualTo("hello");
        assertThat(str.type()).isEqualTo(ValueType.STRING);

        QueryResult.Matrix sub = (QueryResult.Matrix) engine.instantQuery(st, "m{job=\"b\"}[1m:20s]", 100_000).execute();
        assertThat(sub.ts().get(0)).containsExactly(40_000, 60_000, 80_000, 100_000);
        assertThat(sub.vs().get(0)).containsExactly(8, 12, 16, 20);

        QueryResult.Matrix range = (QueryResult.Matrix) engine.rangeQuery(st, "m * 0 + 1", 0, 30_000, 10_000).execute();
        assertThat(range.labels()).containsExactly(Labels.of("job", "a"), Labels.of("job", "b"));
        assertThat(range.ts().get(0)).containsExactly(0, 10_000, 20_000, 30_000);

        QueryResult.Matrix scalarRange = (QueryResult.Matrix) engine.rangeQuery(st, "time()", 0, 20_000, 10_000).execute();
        assertThat(scalarRange.labels()).containsExactly(Labels.EMPTY);
        assertThat(scalarRange.vs().get(0)).containsExactly(0, 10, 20);
    }

    @Test
    void stepInvariantSubtreesAreEvaluatedOnce() {
        InMemoryStorage st = storage();
        int[] selects = {0};
        Queryable counting = new Queryable() {
            @Override
            public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
                selects[0]++;
                // A step-invariant selector reads one instant only.
                assertThat(hints.end() - hints.start()).isEqualTo(300_000);
                return st.select(hints, matchers);
            }

            @Override
            public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
                return List.of();
            }
        };
        QueryResult.Matrix r = (QueryResult.Matrix) new Engine()
                .rangeQuery(counting, "sum(m @ 3000)", 0, 6_000_000, 60_000).execute();
        assertThat(selects[0]).isEqualTo(1);
        assertThat(r.vs().get(0)).hasSize(101).containsOnly(900);
    }
}
