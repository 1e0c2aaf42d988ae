package io.thanosj.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.MatchType;
import io.thanosj.model.ThanosException;
import io.thanosj.server.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The client's parsing and error mapping against canned Prometheus answers. */
@Tag("unit")
class TestPromClient {
    static HttpServer fake;
    static PromClient client;

    @BeforeAll
    static void start() {
        fake = HttpServer.builder()
                .route("/api/v1/status/config", ex -> ex.respond(200, "application/json",
                        "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  external_labels:\\n    replica: \\\"1\\\"\\n    region: eu\\n\"}}".getBytes()))
                .route("/api/v1/status/flags", ex -> ex.respond(200, "application/json",
                        "{\"status\":\"success\",\"data\":{\"storage.tsdb.min-block-duration\":\"2h\",\"web.enable-lifecycle\":\"true\"}}".getBytes()))
                .route("/metrics", ex -> ex.respondText(200,
                        "# HELP prometheus_tsdb_lowest_timestamp_seconds x\nprometheus_tsdb_lowest_timestamp_seconds 9.223372036854776e+15\n"))
                .route("/api/v1/labels", ex -> ex.respond(422, "application/json",
                        "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"expanding series: boom\"}".getBytes()))
                .route("/api/v1/label/job/values", ex -> ex.respond(200, "application/json",
                        ("{\"status\":\"success\",\"data\":[\"a\",\"b\"],\"match\":\"" + ex.params("match[]") + "\"}").getBytes()))
                .route("/-/reload", ex -> ex.respondText(403, "Lifecycle API is not enabled."))
                .build().start("--fake", "127.0.0.1:0");
        client = new PromClient(URI.create("http://127.0.0.1:" + fake.port() + "/"), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void readsConfigFlagsAndLowestTimestamp() {
        assertThat(client.externalLabels()).isEqualTo(Labels.of("replica", "1", "region", "eu"));
        assertThat(client.flags()).containsEntry("storage.tsdb.min-block-duration", "2h");
        // An empty TSDB reports MaxInt64 ms: it must still be queried, so the lowest time is the minimum.
        assertThat(client.lowestTimestamp()).isEqualTo(Long.MIN_VALUE);
        assertThat(client.labelValues("job", List.of(), 0, 1000)).containsExactly("a", "b");
    }

    @Test
    void errorsNameTheUrlAndCarryPrometheussMessage() {
        assertThatThrownBy(() -> client.labelNames(List.of(), 0, 1))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining("http://127.0.0.1:" + fake.port() + "/api/v1/labels")
                .hasMessageEndingWith("status 422: expanding series: boom")
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.EXECUTION));
        assertThatThrownBy(client::reload).hasMessageContaining("--web.enable-lifecycle");
        assertThatThrownBy(() -> PromClient.parseUrl("--prometheus.url", "localhost:9090"))
                .hasMessageContaining("invalid --prometheus.url");
    }

    @Test
    void selectorsAndTimesAreRenderedAsPrometheusParsesThem() {
        assertThat(PromClient.selector(List.of(Matcher.of(MatchType.EQUAL, "__name__", "up"),
                Matcher.of(MatchType.NOT_REGEX, "job", "a\"b|c\\d")))).isEqualTo("{__name__=\"up\", job!~\"a\\\"b|c\\\\d\"}");
        assertThat(PromClient.seconds(1_500)).isEqualTo("1.500");
        assertThat(PromClient.seconds(-15)).isEqualTo("-0.015");
        assertThat(PromClient.seconds(Long.MIN_VALUE)).isEqualTo("-9223309901257.974");
        assertThat(PromClient.parseExternalLabels("scrape_configs: []\n", URI.create("http://x"))).isEqualTo(Labels.EMPTY);
    }
}
