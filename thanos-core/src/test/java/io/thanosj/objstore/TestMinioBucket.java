package io.thanosj.objstore;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 against a real MinIO in Docker; runs only where a Docker engine is reachable. */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class TestMinioBucket extends BucketContract {
    private static MinIOContainer minio;
    private static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() {
        minio = new MinIOContainer("minio/minio:RELEASE.2024-12-18T13-15-44Z");
        minio.start();
    }

    @AfterAll
    static void stop() {
        if (minio != null) {
            minio.stop();
        }
    }

    @Override
    protected Bucket newBucket() {
        String name = "minio-" + SEQ.incrementAndGet();
        java.net.URI uri = java.net.URI.create(minio.getS3URL());
        try (S3Client admin = S3Client.builder().endpointOverride(uri).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(minio.getUserName(), minio.getPassword())))
                .build()) {
            admin.createBucket(b -> b.bucket(name));
        }
        String yaml = "type: S3\nconfig:\n  bucket: " + name + "\n  endpoint: " + uri.getHost() + ":" + uri.getPort()
                + "\n  insecure: true\n  access_key: " + minio.getUserName() + "\n  secret_key: " + minio.getPassword()
                + "\n  part_size: 5242880\n";
        return BucketFactory.createUninstrumented(yaml, d -> { }, true);
    }

    @Override
    protected int listPageSize() {
        return 1000;
    }

    @Override
    protected long multipartSize() {
        return 12L * 1024 * 1024 + 3;
    }
}
