package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The direct range reader against a scripted HTTP server: request shape and failures as the SDK reports them. */
@Tag("unit")
class TestRangeReader {
    @Test
    void signsEncodesAndMapsStatusesLikeTheSdk() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestURI().getRawPath() + " " + ex.getRequestHeaders().getFirst("Range") + " "
                    + (ex.getRequestHeaders().getFirst("Authorization") != null));
            String path = ex.getRequestURI().getRawPath();
            byte[] body;
            int status;
            if (path.endsWith("/slow")) {
                status = 503;
                body = "<Error><Code>SlowDown</Code><Message>reduce your rate</Message></Error>".getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/denied")) {
                status = 403;
                body = "<Error><Code>AccessDenied</Code></Error>".getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/missing")) {
                status = 404;
                body = "<Error><Code>NoSuchKey</Code></Error>".getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/past-end")) {
                status = 416;
                body = new byte[0];
            } else {
                status = 206;
                body = "abc".getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        RangeReader r = new RangeReader(S3Factory.httpClient(HttpSettings.defaults()),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("ak", "sk")));
        try {
            try (InputStream in = r.get("bench", "01AB/chunks/000001 a+b", "bytes=5-7")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
            }
            assertThat(seen).containsExactly("/bench/01AB/chunks/000001%20a%2Bb bytes=5-7 true");
            // As the SDK: the bucket turns 416 (offset past the end) into an empty read.
            assertThatThrownBy(() -> r.get("bench", "past-end", "bytes=100-110")).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.statusCode()).isEqualTo(416));
            assertThatThrownBy(() -> r.get("bench", "slow", "bytes=0-1")).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                assertThat(S3Bucket.isTransient(e)).isTrue();
            });
            assertThatThrownBy(() -> r.get("bench", "denied", "bytes=0-1")).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(S3Bucket.isTransient(e)).isFalse());
            assertThatThrownBy(() -> r.get("bench", "missing", "bytes=0-1")).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
        } finally {
            r.close();
            server.stop(0);
        }
    }
}
