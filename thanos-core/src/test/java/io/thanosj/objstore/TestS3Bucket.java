package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** S3 against an in-process S3Proxy. */
@Tag("integration")
class TestS3Bucket extends BucketContract {
    private static S3ProxyServer server;
    private static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = new S3ProxyServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Bucket create(String yaml) {
        return BucketFactory.createUninstrumented(yaml, d -> { }, true);
    }

    private String current;

    @Override
    protected Bucket newBucket() {
        current = "bkt-" + SEQ.incrementAndGet();
        server.createBucket(current);
        return create(server.yaml(current, "  part_size: 5242880\n"));
    }

    @Override
    protected void seed(String name, String content) {
        server.putDirect(current, name, content);
    }

    @Override
    protected int listPageSize() {
        return 1000;
    }

    @Override
    protected long multipartSize() {
        return 12L * 1024 * 1024 + 3;
    }

    @Test
    void largeObjectIsStreamedInDefaultSizedParts() throws Exception {
        String name = "big-" + SEQ.incrementAndGet();
        server.createBucket(name);
        long size = 70L * 1024 * 1024 + 5; // two parts of the default 64 MiB part size
        try (Bucket b = create(server.yaml(name, ""))) {
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocBefore = mx.getCurrentThreadAllocatedBytes();
            b.upload("blocks/chunks/000001", new PatternStream(size, 7));
            long allocated = mx.getCurrentThreadAllocatedBytes() - allocBefore;
            // One 64 MiB part buffer plus small change: the object is never held whole, nor twice.
            assertThat(allocated).isLessThan(size + 8L * 1024 * 1024);
            System.out.printf("s3 upload of %d MiB allocated %d MiB on the uploading thread%n", size >> 20, allocated >> 20);
            assertThat(b.attributes("blocks/chunks/000001").size()).isEqualTo(size);
            assertThat(PatternStream.digest(b.get("blocks/chunks/000001")))
                    .isEqualTo(PatternStream.digest(new PatternStream(size, 7)));
            List<String> seen = new ArrayList<>();
            b.iter("", true, seen::add);
            assertThat(seen).containsExactly("blocks/chunks/000001");
        }
    }

    @Test
    void listObjectsV1AlsoPages() {
        String name = "v1-" + SEQ.incrementAndGet();
        server.createBucket(name);
        try (Bucket b = create(server.yaml(name, "  list_objects_version: v1\n"))) {
            for (int i = 0; i < 1003; i++) {
                server.putDirect(name, String.format("d/%04d", i), "x");
            }
            List<String> seen = new ArrayList<>();
            b.iter("d", false, seen::add);
            assertThat(seen).hasSize(1003).startsWith("d/0000").endsWith("d/1002");
        }
    }

    @Test
    void missingBucketFailsAtCreation() {
        assertThatThrownBy(() -> create(server.yaml("no-such-bucket", "")))
                .isInstanceOf(ThanosException.class)
                .hasMessage("s3: bucket no-such-bucket at endpoint http://" + server.endpoint() + ": bucket does not exist");
    }

    @Test
    void wrongCredentialsFailAtCreation() {
        String name = "creds-" + SEQ.incrementAndGet();
        server.createBucket(name);
        String yaml = server.yaml(name, "").replace(S3ProxyServer.SECRET_KEY, "wrong-secret");
        assertThatThrownBy(() -> create(yaml))
                .isInstanceOf(ThanosException.class)
                .hasMessageStartingWith("s3: bucket " + name + " at endpoint http://" + server.endpoint() + ": access denied (")
                .hasMessageContaining("check access_key, secret_key");
    }

    @Test
    void unreachableEndpointFailsFast() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String yaml = "type: S3\nconfig:\n  bucket: b\n  endpoint: 127.0.0.1:" + port + "\n  insecure: true\n"
                + "  access_key: a\n  secret_key: s\n";
        long start = System.nanoTime();
        assertThatThrownBy(() -> create(yaml))
                .isInstanceOf(ThanosException.class)
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageStartingWith("s3: bucket b at endpoint http://127.0.0.1:" + port + ": cannot reach endpoint: ")
                .hasMessageContaining("refused");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }

    @Test
    void userMetadataAndStorageClassAreAccepted() throws Exception {
        String name = "meta-" + SEQ.incrementAndGet();
        server.createBucket(name);
        try (Bucket b = create(server.yaml(name, "  put_user_metadata:\n    X-Amz-Storage-Class: STANDARD\n    team: obs\n"))) {
            b.upload("x", text("1"));
            assertThat(read(b.get("x"))).isEqualTo("1");
        }
    }
}
