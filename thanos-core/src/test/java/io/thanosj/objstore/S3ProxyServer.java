package io.thanosj.objstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An in-process S3Proxy on an ephemeral 127.0.0.1 port, backed by a temporary directory (so big
 * objects do not sit in the heap), with an access and secret key. Shared with other modules' tests
 * through the test-jar.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "thanosj-access";
    public static final String SECRET_KEY = "thanosj-secret-key";

    private final Path dir;
    private final BlobStore store;
    private final S3Proxy proxy;

    public S3ProxyServer() {
        try {
            dir = Files.createTempDirectory("thanosj-s3proxy-");
            store = new FilesystemNio2BlobStore(dir.toString());
            proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("start s3proxy: " + e, e);
        }
    }

    /** host:port, as Thanos's S3 {@code endpoint} wants it. */
    public String endpoint() {
        return "127.0.0.1:" + proxy.getPort();
    }

    public void createBucket(String name) {
        store.createContainer(name);
    }

    /** Writes an object straight into the backing store, skipping HTTP: for seeding many objects fast. */
    public void putDirect(String bucket, String key, String content) {
        byte[] b = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        store.putBlob(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder()
                .bucket(bucket).key(key).contentLength((long) b.length).build(), new java.io.ByteArrayInputStream(b));
    }

    /** An objstore YAML for {@code bucket} on this server. */
    public String yaml(String bucket, String extraConfig) {
        return "type: S3\nconfig:\n  bucket: " + bucket + "\n  endpoint: " + endpoint() + "\n  insecure: true\n"
                + "  access_key: " + ACCESS_KEY + "\n  secret_key: " + SECRET_KEY + "\n" + extraConfig;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stop s3proxy: " + e, e);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
