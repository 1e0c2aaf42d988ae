package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

@Tag("unit")
class TestRetrier {
    private final List<Duration> sleeps = new ArrayList<>();
    private final Retrier retrier = new Retrier(3, Duration.ofMillis(100), Duration.ofMillis(250),
            t -> t instanceof IllegalStateException, sleeps::add);

    @Test
    void retriesTransientFailuresWithCappedBackoff() {
        AtomicInteger calls = new AtomicInteger();
        String out = retrier.call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException("503");
            }
            return "ok";
        });
        assertThat(out).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
    }

    @Test
    void givesUpAfterMaxRetries() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retrier.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("still 503");
        })).isInstanceOf(IllegalStateException.class).hasMessage("still 503");
        assertThat(calls).hasValue(4);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void doesNotRetryPermanentFailures() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retrier.call(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("403");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void interruptedWhileWaitingIsCanceled() {
        Retrier r = new Retrier(3, Duration.ofMillis(1), Duration.ofMillis(1), t -> true, d -> {
            throw new InterruptedException();
        });
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException("x");
        })).isInstanceOf(ThanosException.class)
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.CANCELED));
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void s3ClassifiesTransientErrors() {
        assertThat(S3Bucket.isTransient(S3Exception.builder().statusCode(503).build())).isTrue();
        assertThat(S3Bucket.isTransient(S3Exception.builder().statusCode(500).build())).isTrue();
        assertThat(S3Bucket.isTransient(S3Exception.builder().statusCode(429).build())).isTrue();
        assertThat(S3Bucket.isTransient(S3Exception.builder().statusCode(403).build())).isFalse();
        assertThat(S3Bucket.isTransient(S3Exception.builder().statusCode(404).build())).isFalse();
        assertThat(S3Bucket.isTransient(SdkClientException.create("reset", new java.net.SocketException("Connection reset")))).isTrue();
        assertThat(S3Bucket.isTransient(SdkClientException.create("dns", new java.net.UnknownHostException("nope")))).isFalse();
        assertThat(AzureBucket.isTransient(new java.io.UncheckedIOException(new java.io.IOException("Connection reset")))).isTrue();
        assertThat(AzureBucket.isTransient(new IllegalArgumentException("bad"))).isFalse();
    }

    /** The whole path: an S3 endpoint that answers 503 SlowDown twice, then the object. */
    @Test
    void s3RetriesServerErrorsEndToEnd() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body;
            if (requests.incrementAndGet() <= 2) {
                body = "<Error><Code>SlowDown</Code><Message>slow down</Message></Error>".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(503, body.length);
            } else if (ex.getRequestURI().getPath().equals("/bkt/denied")) {
                body = "<Error><Code>AccessDenied</Code><Message>no</Message></Error>".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(403, body.length);
            } else {
                body = "hello".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
            }
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String yaml = "type: S3\nconfig:\n  bucket: bkt\n  endpoint: 127.0.0.1:" + server.getAddress().getPort()
                    + "\n  insecure: true\n  access_key: a\n  secret_key: s\n";
            try (Bucket b = BucketFactory.createUninstrumented(yaml, sleeps::add, false)) {
                assertThat(BucketContract.read(b.get("obj"))).isEqualTo("hello");
                assertThat(requests).hasValue(3);
                assertThat(sleeps).containsExactly(Retrier.DEFAULT_BASE, Retrier.DEFAULT_BASE.multipliedBy(2));

                sleeps.clear();
                assertThatThrownBy(() -> b.get("denied")).isInstanceOf(ThanosException.class)
                        .hasMessage("s3 bucket bkt: get denied: access denied: 403 AccessDenied");
                assertThat(requests).hasValue(4);
                assertThat(sleeps).isEmpty();
            }
        } finally {
            server.stop(0);
        }
    }
}
