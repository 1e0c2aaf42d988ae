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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Series decoded ahead on a helper thread ({@link DecodeAhead}): the same results as decoding on the
 * query thread, failures on either side reported as without it, and the set never used by two threads.
 */
@Tag("unit")
class TestDecodeAhead {
    private static final long MIN = 60_000;
    private static final double STALE = Double.longBitsToDouble(Evaluator.STALE_NAN_BITS);
    private static final int SERIES = 700;

    /** Storage that watches its sets: which threads call next, overlapping calls, calls after close. */
    static final class Watched extends ForwardingQueryable {
        final InMemoryStorage data = (InMemoryStorage) in;
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<String> misuse = Collections.synchronizedList(new ArrayList<>());
        int failAt = -1;
        boolean slowHelper;

        Watched() {
            super(new InMemoryStorage());
            Random r = new Random(3);
            for (int s = 0; s < SERIES; s++) {
                Labels l = Labels.of("__name__", "m", "g", "g" + (s % 7), "s", String.format("%04d", s));
                long t = r.nextInt(30_000);
                int n = s % 50 == 0 ? 3 : 100 + r.nextInt(200);
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v = r.nextInt(20) == 0 ? r.nextInt(10) : v + r.nextInt(100); // counter resets now and then
                    data.append(l, t, s % 13 == 0 && i == n / 2 ? STALE : v);
                    t += 15_000 + r.nextInt(2_000);
                }
            }
        }

        @Override
        public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
            opened.incrementAndGet();
            AtomicBoolean busy = new AtomicBoolean();
            AtomicBoolean isClosed = new AtomicBoolean();
            AtomicInteger seen = new AtomicInteger();
            return new ForwardingSeriesSet(data.select(hints, matchers)) {
                @Override
                public boolean next() {
                    if (isClosed.get()) {
                        misuse.add("next after close");
                    }
                    if (!busy.compareAndSet(false, true)) {
                        misuse.add("concurrent next");
                    }
                    try {
                        String thread = Thread.currentThread().getName();
                        threads.add(thread);
                        if (slowHelper && thread.startsWith("promql-decode-")) {
                            sleep(1); // so that the query thread fails while the helper is inside next()
                        }
                        if (seen.incrementAndGet() == failAt) {
                            throw new ThanosException(ErrorCode.UNAVAILABLE, "store went away at series " + failAt);
                        }
                        return in.next();
                    } finally {
                        busy.set(false);
                    }
                }

                @Override
                public void close() {
                    if (busy.get()) {
                        misuse.add("close during next");
                    }
                    if (isClosed.compareAndSet(false, true)) {
                        closed.incrementAndGet();
                    }
                    in.close();
                }
            };
        }

        /** Every set was closed, and none was used by two threads at once or after its close. */
        void assertReleased() {
            assertThat(misuse).isEmpty();
            assertThat(closed.get()).isEqualTo(opened.get());
        }

        boolean helperRead() {
            synchronized (threads) {
                return threads.stream().anyMatch(t -> t.startsWith("promql-decode-"));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Engine engine(boolean ahead) {
        return new Engine(EngineOptions.defaults().withDecodeAhead(ahead));
    }

    @Test
    void resultsAreTheSameWithAndWithoutDecodingAhead() {
        String[] queries = {
            "sum(rate(m[5m]))", "sum by (g) (increase(m[10m]))", "m", "count_over_time(m[3m])", "max by (g) (m)",
            "resets(m[20m])", "m offset 10m", "timestamp(m)", "avg_over_time(m[7m])", "topk(3, m)",
        };
        for (String q : queries) {
            Watched ahead = new Watched();
            String got = render(engine(true).rangeQuery(ahead, q, 10 * MIN, 80 * MIN, 30_000).execute());
            assertThat(ahead.helperRead()).as("%s read ahead", q).isTrue();
            assertThat(got).as(q).isEqualTo(render(engine(false).rangeQuery(new Watched(), q, 10 * MIN, 80 * MIN, 30_000).execute()));
            assertThat(render(engine(true).instantQuery(new Watched(), q, 40 * MIN).execute()))
                    .as(q).isEqualTo(render(engine(false).instantQuery(new Watched(), q, 40 * MIN).execute()));
            ahead.assertReleased();
        }
    }

    @Test
    void aSmallSelectIsReadOnTheQueryThread() {
        Watched st = new Watched();
        engine(true).rangeQuery(st, "rate(m{s=~\"000.\"}[5m])", 10 * MIN, 80 * MIN, 30_000).execute();
        assertThat(st.threads).isNotEmpty();
        assertThat(st.helperRead()).isFalse();
    }

    @Test
    void aStoreFailureOnTheHelperFailsTheQueryAsWithout() {
        for (boolean ahead : new boolean[] {true, false}) {
            Watched st = new Watched();
            st.failAt = 400;
            assertThatThrownBy(() -> engine(ahead).rangeQuery(st, "sum(rate(m[5m]))", 10 * MIN, 80 * MIN, 30_000).execute())
                    .isInstanceOf(ThanosException.class).hasMessageContaining("store went away at series 400");
            st.assertReleased();
        }
    }

    @Test
    void theSampleLimitStopsTheHelperAndClosesTheSet() {
        for (boolean ahead : new boolean[] {true, false}) {
            Watched st = new Watched();
            // Each output series holds 141 steps: the limit is met a few hundred series in.
            Engine e = new Engine(EngineOptions.defaults().withDecodeAhead(ahead).withMaxSamples(30_000));
            st.slowHelper = true;
            assertThatThrownBy(() -> e.rangeQuery(st, "rate(m[5m])", 10 * MIN, 80 * MIN, 30_000).execute())
                    .isInstanceOf(ThanosException.class).hasMessageContaining("too many samples");
            sleep(50); // a helper still running after the query ended would call next on the closed set by now
            assertThat(st.helperRead()).isEqualTo(ahead);
            st.assertReleased();
        }
    }

    @Test
    void aTimeoutStopsTheQueryWhileTheHelperReads() {
        for (boolean ahead : new boolean[] {true, false}) {
            Watched st = new Watched();
            // The clock stands still until a hundred series are read, then jumps past the timeout.
            Engine e = new Engine(EngineOptions.defaults().withDecodeAhead(ahead).withTimeout(Duration.ofMinutes(2))
                    .withNanoClock(() -> st.threads.size() > 100 ? Duration.ofHours(1).toNanos() : 0));
            assertThatThrownBy(() -> e.rangeQuery(st, "sum(rate(m[5m]))", 10 * MIN, 80 * MIN, 30_000).execute())
                    .isInstanceOf(ThanosException.class).hasMessageContaining("timed out");
            st.assertReleased();
        }
    }

    @Test
    void anInterruptedQueryThreadStillWaitsForTheHelperBeforeTheSetIsClosed() throws Exception {
        Watched st = new Watched();
        st.slowHelper = true;
        Throwable[] failure = new Throwable[1];
        Thread query = new Thread(() -> {
            try {
                engine(true).rangeQuery(st, "sum(rate(m[5m]))", 10 * MIN, 80 * MIN, 30_000).execute();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "interrupted-query");
        query.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (st.threads.size() < 100 && System.nanoTime() < deadline) {
            sleep(1);
        }
        query.interrupt();
        query.join(10_000);
        assertThat(query.isAlive()).isFalse();
        assertThat(failure[0]).isInstanceOf(ThanosException.class).hasMessageContaining("canceled");
        sleep(50); // a helper still running after the query ended would call next on the closed set by now
        st.assertReleased();
    }

    private static String render(QueryResult r) {
        if (r instanceof QueryResult.Matrix m) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < m.size(); i++) {
                sb.append(m.labels().get(i)).append(Arrays.toString(m.ts().get(i)));
                for (double v : m.vs().get(i)) {
                    sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
        if (r instanceof QueryResult.Vector v) {
            StringBuilder sb = new StringBuilder(v.labels().toString());
            for (double x : v.values()) {
                sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(x)));
            }
            return sb.toString();
        }
        return r.toString();
    }
}
