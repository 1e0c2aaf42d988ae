package io.thanosj.objstore;

import com.azure.core.credential.TokenCredential;
import com.azure.core.util.HttpClientOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.net.URI;
import java.time.Duration;

/** Builds an {@link AzureBucket} from Thanos's Azure config (the fields of {@code azure.Config}). */
final class AzureFactory {
    private AzureFactory() {
    }

    static AzureBucket create(ConfigNode c, Sleeper sleeper, boolean check) {
        return create(c, sleeper, check, 0, AzureBucket.BLOCK_SIZE);
    }

    /** {@code pageSize} 0 lets the service pick (5000); tests use small pages and blocks. */
    static AzureBucket create(ConfigNode c, Sleeper sleeper, boolean check, int pageSize, long blockSize) {
        c.allowOnly("az_tenant_id", "client_id", "client_secret", "storage_account", "storage_account_key",
                "storage_connection_string", "storage_create_container", "container", "endpoint", "user_assigned_id",
                "max_retries", "reader_config", "pipeline_config", "http_config", "msi_resource");
        String containerName = c.requiredString("container");
        String connection = c.string("storage_connection_string", "");
        String account = c.string("storage_account", "");
        if (connection.isEmpty() && account.isEmpty()) {
            throw c.missing("storage_account");
        }
        String key = c.string("storage_account_key", "");
        String userAssigned = c.string("user_assigned_id", "");
        String tenant = c.string("az_tenant_id", "");
        String clientId = c.string("client_id", "");
        String clientSecret = c.string("client_secret", "");
        if (!key.isEmpty() && !userAssigned.isEmpty()) {
            throw c.invalid("user_assigned_id", "storage_account_key and user_assigned_id are mutually exclusive");
        }
        if (!connection.isEmpty() && (!key.isEmpty() || !userAssigned.isEmpty())) {
            throw c.invalid("storage_connection_string", "storage_connection_string excludes storage_account_key and user_assigned_id");
        }
        boolean create = c.bool("storage_create_container", true);
        String endpoint = c.string("endpoint", "blob.core.windows.net");
        c.string("msi_resource", "");
        int maxRetries = c.intValue("max_retries", 0);
        ConfigNode pipeline = c.child("pipeline_config").allowOnly("max_tries", "try_timeout", "retry_delay", "max_retry_delay");
        int maxTries = pipeline.intValue("max_tries", 0);
        Duration tryTimeout = pipeline.duration("try_timeout", Duration.ZERO);
        pipeline.duration("retry_delay", Duration.ZERO);
        pipeline.duration("max_retry_delay", Duration.ZERO);
        c.child("reader_config").allowOnly("max_retry_requests").intValue("max_retry_requests", 0);
        HttpSettings http = HttpSettings.parse(c);
        if (http.insecureSkipVerify() || !http.caFile().isEmpty() || !http.certFile().isEmpty()) {
            throw c.invalid("http_config", "custom TLS settings are not supported for azure");
        }

        BlobServiceClientBuilder b = new BlobServiceClientBuilder();
        if (!connection.isEmpty()) {
            b.connectionString(connection);
        } else {
            b.endpoint(serviceUrl(c, account, endpoint));
            if (!key.isEmpty()) {
                b.credential(new StorageSharedKeyCredential(account, key));
            } else {
                b.credential(tokenCredential(userAssigned, tenant, clientId, clientSecret));
            }
        }
        // One try per request: retries are the Retrier's, so max_retries means the same as for S3.
        b.retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 1,
                tryTimeout.isZero() ? null : (int) Math.max(1, tryTimeout.toSeconds()), null, null, null));
        b.clientOptions(new HttpClientOptions()
                .setConnectTimeout(HttpSettings.CONNECT_TIMEOUT)
                .setResponseTimeout(http.responseHeaderTimeout())
                .setConnectionIdleTimeout(http.idleConnTimeout())
                .setMaximumConnectionPoolSize(http.maxConnsPerHost()));
        BlobContainerClient container = b.buildClient().getBlobContainerClient(containerName);
        int retries = maxRetries > 0 ? maxRetries : Math.max(0, maxTries - 1);
        AzureBucket bkt = new AzureBucket(container, account.isEmpty() ? container.getAccountName() : account,
                Retrier.fromConfig(retries, AzureBucket::isTransient, sleeper), blockSize, pageSize);
        if (check) {
            bkt.checkContainer(create);
        }
        return bkt;
    }

    /**
     * Thanos builds {@code https://<account>.<endpoint>}. An endpoint with a scheme is taken as the
     * service URL itself, which is how emulators such as Azurite ({@code http://127.0.0.1:10000/account})
     * are addressed.
     */
    static String serviceUrl(ConfigNode c, String account, String endpoint) {
        if (endpoint.contains("://")) {
            try {
                URI u = URI.create(endpoint);
                if (u.getHost() == null) {
                    throw c.invalid("endpoint", "not a URL: " + endpoint);
                }
            } catch (IllegalArgumentException e) {
                throw c.invalid("endpoint", "not a URL: " + e.getMessage());
            }
            return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        }
        return "https://" + account + "." + endpoint;
    }

    private static TokenCredential tokenCredential(String userAssigned, String tenant, String clientId, String clientSecret) {
        if (!userAssigned.isEmpty()) {
            return new ManagedIdentityCredentialBuilder().clientId(userAssigned).build();
        }
        if (!clientId.isEmpty() && !clientSecret.isEmpty() && !tenant.isEmpty()) {
            return new ClientSecretCredentialBuilder().tenantId(tenant).clientId(clientId).clientSecret(clientSecret).build();
        }
        // Environment, workload identity, managed identity, Azure CLI: Thanos's order.
        return new DefaultAzureCredentialBuilder().build();
    }
}
