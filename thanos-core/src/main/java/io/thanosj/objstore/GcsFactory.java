package io.thanosj.objstore;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.StorageOptions;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;

/** Builds a {@link GcsBucket} from Thanos's GCS config (the fields of {@code gcs.Config}). */
final class GcsFactory {
    /** The Go client's default chunk size: 16 MiB. */
    static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

    private GcsFactory() {
    }

    static GcsBucket create(ConfigNode c, boolean checkBucket) {
        c.allowOnly("bucket", "service_account", "use_grpc", "grpc_conn_pool_size", "http_config", "chunk_size_bytes", "max_retries");
        String bucket = c.requiredString("bucket");
        if (c.bool("use_grpc", false)) {
            throw c.invalid("use_grpc", "the gRPC API is not supported; remove use_grpc");
        }
        c.intValue("grpc_conn_pool_size", 0);
        int chunk = c.intValue("chunk_size_bytes", 0);
        if (chunk < 0) {
            throw c.invalid("chunk_size_bytes", "must not be negative");
        }
        int maxRetries = c.intValue("max_retries", 0);
        HttpSettings http = HttpSettings.parse(c);
        String serviceAccount = c.string("service_account", "");

        StorageOptions.Builder b = StorageOptions.newBuilder();
        String emulator = System.getenv("STORAGE_EMULATOR_HOST");
        if (emulator != null && !emulator.isEmpty()) {
            // As Go's client: the emulator needs no credentials.
            b.setHost(emulator.contains("://") ? emulator : "http://" + emulator).setCredentials(NoCredentials.getInstance());
        } else if (!serviceAccount.isEmpty()) {
            try {
                b.setCredentials(GoogleCredentials.fromStream(new ByteArrayInputStream(serviceAccount.getBytes(StandardCharsets.UTF_8))));
            } catch (IOException | RuntimeException e) {
                throw c.invalid("service_account", "not a valid service account JSON key: " + e.getMessage());
            }
        } else {
            try {
                b.setCredentials(GoogleCredentials.getApplicationDefault());
            } catch (IOException e) {
                throw ThanosException.badData("objstore config: gcs: no credentials: set service_account or "
                        + "GOOGLE_APPLICATION_CREDENTIALS, or run where application default credentials exist: " + ConfigNode.oneLine(e.getMessage()));
            }
        }
        HttpTransportOptions.Builder transport = HttpTransportOptions.newBuilder()
                .setConnectTimeout((int) HttpSettings.CONNECT_TIMEOUT.toMillis())
                .setReadTimeout((int) Math.min(Integer.MAX_VALUE, http.responseHeaderTimeout().toMillis()));
        if (http.insecureSkipVerify()) {
            transport.setHttpTransportFactory(() -> {
                try {
                    return new NetHttpTransport.Builder().doNotValidateCertificate().build();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        b.setTransportOptions(transport.build());
        b.setRetrySettings(RetrySettings.newBuilder()
                .setMaxAttempts(1 + (maxRetries <= 0 ? Retrier.DEFAULT_MAX_RETRIES : maxRetries))
                .setInitialRetryDelayDuration(Retrier.DEFAULT_BASE)
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Retrier.DEFAULT_MAX)
                .setTotalTimeoutDuration(Duration.ofMinutes(5))
                .build());
        GcsBucket bkt = new GcsBucket(b.build().getService(), bucket, chunk == 0 ? DEFAULT_CHUNK_SIZE : chunk);
        if (checkBucket) {
            try {
                bkt.checkBucket();
            } catch (RuntimeException e) {
                bkt.close();
                throw e;
            }
        }
        return bkt;
    }
}
