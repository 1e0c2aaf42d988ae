package io.thanosj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestComponentRuntime {
    private final HttpClient client = HttpClient.newHttpClient();
    private ComponentRuntime rt;

    @BeforeEach
    void start() {
        rt = new ComponentRuntime("test");
        rt.http().route("/echo", ex -> ex.respondText(200, "a=" + ex.params("a")));
        rt.http().route("/stream", ex -> {
            try (OutputStream out = ex.stream(200, "text/plain")) {
                for (int i = 0; i < 20_000; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        rt.http().route("/small", ex -> {
            try (OutputStream out = ex.stream(200, "text/plain")) {
                out.write("tiny".getBytes(StandardCharsets.UTF_8));
            }
        });
        rt.http().prefix("/api/v1/label/", ex -> ex.respondText(200, "rest=" + ex.remainder()));
        rt.http().route("/fail", ex -> {
            throw ThanosException.badData("invalid parameter \"x\"");
        });
        rt.http().maxRequestBytes(1024);
        rt.start("127.0.0.1:0", "127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessFollowTheProber() throws Exception {
        assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/-/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("starting");
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", rt.grpcPort()).usePlaintext().build();
        try {
            var health = HealthGrpc.newBlockingStub(ch);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
            rt.prober().ready();
            assertThat(get("/-/ready").statusCode()).isEqualTo(200);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body()).contains("jvm_memory_used_bytes{", "process_cpu_seconds_total ", "thanos_build_info{");
        assertThat(r.body()).containsPattern("process_resident_memory_bytes [0-9]");
    }

    @Test
    void routesParamsFormsAndErrors() throws Exception {
        assertThat(get("/echo?a=1&a=2").body()).isEqualTo("a=[1, 2]");
        HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + "/echo?a=1"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=x%20y")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.body()).isEqualTo("a=[1, x y]");
        assertThat(get("/api/v1/label/job/values").body()).isEqualTo("rest=job/values");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> fail = get("/fail");
        assertThat(fail.statusCode()).isEqualTo(400);
        assertThat(fail.body()).contains("invalid parameter \"x\"");
    }

    @Test
    void oversizedRequestsAreRejected() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        HttpResponse<String> longUri = get("/echo?a=" + "x".repeat(70_000));
        assertThat(longUri.statusCode()).isIn(400, 414);
    }

    @Test
    void smallStreamsGoOutWholeWithALengthLargeOnesChunked() throws Exception {
        HttpResponse<String> small = get("/small");
        assertThat(small.body()).isEqualTo("tiny");
        assertThat(small.headers().firstValue("content-length")).hasValue("4");
        assertThat(small.headers().firstValue("transfer-encoding")).isEmpty();
        HttpResponse<String> large = get("/stream");
        assertThat(large.headers().firstValue("transfer-encoding")).hasValue("chunked");
        assertThat(large.body()).startsWith("line 0\n").endsWith("line 19999\n");
        HttpResponse<byte[]> gz = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + "/small"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("tiny");
    }

    @Test
    void streamsLargeResponsesGzipped() throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort() + "/stream"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body.split("\n")).hasSize(20_000).endsWith("line 19999");
    }

    @Test
    void takenPortAndBadAddressNameTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            ComponentRuntime other = new ComponentRuntime("other");
            String addr = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> other.start(addr, null)).isInstanceOf(ThanosException.class)
                    .hasMessage("listen tcp " + addr + ": bind: address already in use (--http-address)");
        }
        ComponentRuntime bad = new ComponentRuntime("bad");
        assertThatThrownBy(() -> bad.start("127.0.0.1:0", "nonsense")).isInstanceOf(ThanosException.class)
                .hasMessageContaining("--grpc-address").hasMessageContaining("missing port");
    }
}
