package io.thanosj.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.EngineOptions;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code --query.max-concurrent}: queries beyond the limit wait in line, up to their timeout. */
@Tag("unit")
class TestQueryConcurrency {
    private final HttpClient client = HttpClient.newHttpClient();
    private ComponentRuntime rt;

    /** A store whose Series calls block until released, counting how many run at once. */
    static final class GatedStore implements StoreServer {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public SeriesSet series(SeriesRequest request) {
            calls.incrementAndGet();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return SeriesSet.empty();
        }

        @Override
        public LabelNamesResponse labelNames(LabelNamesRequest request) {
            return LabelNamesResponse.getDefaultInstance();
        }

        @Override
        public LabelValuesResponse labelValues(LabelValuesRequest request) {
            return LabelValuesResponse.getDefaultInstance();
        }

        @Override
        public StoreInfo info() {
            return new StoreInfo(List.of(Labels.EMPTY), 0, Long.MAX_VALUE, true);
        }
    }

    private String start(StoreServer store, int maxConcurrent, Duration timeout) {
        rt = new ComponentRuntime("query");
        Engine engine = new Engine(EngineOptions.defaults().withTimeout(timeout));
        new QueryApi(engine, store, new QueryApi.Defaults(List.of(), true, timeout, maxConcurrent), Map.of(), List::of)
                .register(rt.http());
        rt.start("127.0.0.1:0", null);
        return "http://127.0.0.1:" + rt.httpPort() + "/api/v1/query?query=up&time=100";
    }

    @AfterEach
    void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> get(String url) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void queriesBeyondTheLimitWaitForASlot() throws Exception {
        GatedStore store = new GatedStore();
        String url = start(store, 1, Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> first = get(url);
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> second = get(url);
        Thread.sleep(300);
        assertThat(store.calls.get()).as("the second query waits outside the store").isEqualTo(1);
        assertThat(second).isNotDone();
        store.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(store.calls.get()).isEqualTo(2);
        assertThat(store.maxRunning.get()).isEqualTo(1);
    }

    @Test
    void aQueryThatCannotGetASlotInTimeFailsLikePrometheus() throws Exception {
        GatedStore store = new GatedStore();
        String url = start(store, 1, Duration.ofMillis(300));
        CompletableFuture<HttpResponse<String>> first = get(url);
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> second = get(url).get(10, TimeUnit.SECONDS);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("\"errorType\":\"timeout\"").contains("query timed out in query queue");
        store.release.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void withinTheLimitQueriesRunTogether() throws Exception {
        GatedStore store = new GatedStore();
        String url = start(store, 2, Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> first = get(url);
        CompletableFuture<HttpResponse<String>> second = get(url);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.running.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.running.get()).isEqualTo(2);
        store.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
