package io.thanosj.objstore;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.utils.AttributeMap;

/** Builds an {@link S3Bucket} from Thanos's S3 config (the fields of {@code s3.Config}). */
final class S3Factory {
    /** Thanos's default part size: 64 MiB. */
    static final long DEFAULT_PART_SIZE = 64L * 1024 * 1024;
    private static final Pattern AWS_REGION_IN_HOST = Pattern.compile("^s3[.-]([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?$");

    private S3Factory() {
    }

    static S3Bucket create(ConfigNode c, Sleeper sleeper, boolean checkBucket) {
        c.allowOnly("bucket", "endpoint", "region", "disable_dualstack", "aws_sdk_auth", "access_key", "insecure",
                "signature_version2", "secret_key", "session_token", "put_user_metadata", "http_config", "trace",
                "list_objects_version", "bucket_lookup_type", "send_content_md5", "disable_multipart", "part_size",
                "sse_config", "sts_endpoint", "max_retries");
        String bucket = c.requiredString("bucket");
        String endpoint = c.requiredString("endpoint");
        if (endpoint.contains("://") || endpoint.contains("/")) {
            throw c.invalid("endpoint", "expected host[:port] without scheme or path (use insecure: true for http), got \"" + endpoint + "\"");
        }
        if (c.bool("signature_version2", false)) {
            throw c.invalid("signature_version2", "signature version 2 is not supported; use signature version 4 (signature_version2: false)");
        }
        c.bool("disable_dualstack", false);
        c.bool("send_content_md5", true);
        c.child("trace").allowOnly("enable").bool("enable", false);
        boolean insecure = c.bool("insecure", false);
        boolean sdkAuth = c.bool("aws_sdk_auth", false);
        String accessKey = c.string("access_key", "");
        String secretKey = c.string("secret_key", "");
        String sessionToken = c.string("session_token", "");
        if (sdkAuth && !accessKey.isEmpty()) {
            throw c.invalid("aws_sdk_auth", "aws_sdk_auth and access_key are mutually exclusive");
        }
        if (accessKey.isEmpty() && !secretKey.isEmpty()) {
            throw c.missing("access_key");
        }
        if (!accessKey.isEmpty() && secretKey.isEmpty()) {
            throw c.missing("secret_key");
        }
        String listVersion = c.string("list_objects_version", "");
        if (!listVersion.isEmpty() && !listVersion.equals("v1") && !listVersion.equals("v2")) {
            throw c.invalid("list_objects_version", "supported values are v1 and v2, got \"" + listVersion + "\"");
        }
        String lookup = c.string("bucket_lookup_type", "auto");
        boolean awsHost = endpoint.toLowerCase(Locale.ROOT).matches("^([^:]*\\.)?amazonaws\\.com(\\.cn)?(:\\d+)?$");
        boolean pathStyle = switch (lookup) {
            case "auto" -> !awsHost || bucket.contains(".");
            case "path" -> true;
            case "virtual-hosted", "virtual-host" -> false;
            default -> throw c.invalid("bucket_lookup_type", "supported values are auto, virtual-hosted and path, got \"" + lookup + "\"");
        };
        long partSize = c.longValue("part_size", DEFAULT_PART_SIZE);
        if (partSize == 0) {
            partSize = DEFAULT_PART_SIZE;
        }
        if (partSize < S3Bucket.MIN_PART_SIZE) {
            throw c.invalid("part_size", "must be at least " + S3Bucket.MIN_PART_SIZE + " bytes (5 MiB), got " + partSize);
        }
        int maxRetries = c.intValue("max_retries", 0);
        S3Encryption sse = S3Encryption.parse(c);
        HttpSettings http = HttpSettings.parse(c);
        Map<String, String> metadata = new LinkedHashMap<>();
        String storageClass = "";
        for (Map.Entry<String, String> e : c.stringMap("put_user_metadata").entrySet()) {
            if (e.getKey().equalsIgnoreCase("X-Amz-Storage-Class")) {
                storageClass = e.getValue();
            } else {
                metadata.put(e.getKey(), e.getValue());
            }
        }

        String region = c.string("region", "");
        boolean explicitRegion = !region.isEmpty();
        if (!explicitRegion) {
            Matcher m = AWS_REGION_IN_HOST.matcher(endpoint.toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", ""));
            region = m.matches() && !m.group(1).equals("external-1") ? m.group(1) : "us-east-1";
        }
        String stsEndpoint = c.string("sts_endpoint", "");
        AwsCredentialsProvider credentials;
        if (!accessKey.isEmpty()) {
            credentials = StaticCredentialsProvider.create(sessionToken.isEmpty()
                    ? AwsBasicCredentials.create(accessKey, secretKey)
                    : AwsSessionCredentials.create(accessKey, secretKey, sessionToken));
        } else if (!stsEndpoint.isEmpty()) {
            credentials = chainWithSts(stsEndpoint, region, c);
        } else {
            // Environment, system properties, web identity (IRSA), profile files, container and instance roles.
            credentials = DefaultCredentialsProvider.create();
        }

        String scheme = insecure ? "http" : "https";
        URI uri = URI.create(scheme + "://" + endpoint);
        SdkHttpClient httpClient = httpClient(http);
        boolean crossRegion = !explicitRegion && awsHost;
        S3Client client = S3Client.builder()
                .endpointOverride(uri)
                .region(Region.of(region))
                .forcePathStyle(pathStyle)
                // Plain bodies (signed over http, unsigned over https) instead of aws-chunked: parts are
                // replayable from memory anyway, and some S3-compatible stores reject aws-chunked.
                .serviceConfiguration(s -> s.chunkedEncodingEnabled(false))
                .crossRegionAccessEnabled(crossRegion)
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                // Third-party S3 stores often lack the newer flexible checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        S3Bucket.Options options = new S3Bucket.Options(partSize, c.bool("disable_multipart", false),
                listVersion.equals("v1"), sse, Map.copyOf(metadata), storageClass);
        // Range reads, the store gateway's hot path, skip the SDK's request pipeline when a GET
        // needs nothing but the range; everything else goes through the SDK.
        RangeReader ranges = pathStyle && !crossRegion && sse.customerKey() == null
                ? new RangeReader(httpClient, uri, region, credentials) : null;
        S3Bucket b = new S3Bucket(client, bucket, uri.toString(), options,
                Retrier.fromConfig(maxRetries, S3Bucket::isTransient, sleeper), ranges);
        if (checkBucket) {
            try {
                b.checkBucket();
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
        }
        return b;
    }

    private static AwsCredentialsProvider chainWithSts(String stsEndpoint, String region, ConfigNode c) {
        URI sts;
        try {
            sts = URI.create(stsEndpoint.contains("://") ? stsEndpoint : "https://" + stsEndpoint);
        } catch (IllegalArgumentException e) {
            throw c.invalid("sts_endpoint", "not a URL: " + e.getMessage());
        }
        AwsCredentialsProviderChain.Builder chain = AwsCredentialsProviderChain.builder()
                .credentialsProviders(SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create());
        if (System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != null && System.getenv("AWS_ROLE_ARN") != null) {
            StsClient stsClient = StsClient.builder().endpointOverride(sts).region(Region.of(region))
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()).build();
            chain.addCredentialsProvider(StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(stsClient).build());
        }
        chain.addCredentialsProvider(ProfileCredentialsProvider.create());
        chain.addCredentialsProvider(InstanceProfileCredentialsProvider.create());
        return chain.build();
    }

    static SdkHttpClient httpClient(HttpSettings http) {
        ApacheHttpClient.Builder b = ApacheHttpClient.builder()
                .connectionTimeout(HttpSettings.CONNECT_TIMEOUT)
                .connectionMaxIdleTime(http.idleConnTimeout().isZero() ? java.time.Duration.ofSeconds(90) : http.idleConnTimeout())
                .socketTimeout(http.responseHeaderTimeout())
                .maxConnections(http.maxConnsPerHost());
        var trust = http.trustManagers(S3Bucket.TYPE);
        var keys = http.keyManagers(S3Bucket.TYPE);
        if (trust != null) {
            b.tlsTrustManagersProvider(() -> trust);
        }
        if (keys != null) {
            b.tlsKeyManagersProvider(() -> keys);
        }
        if (http.insecureSkipVerify()) {
            return b.buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build());
        }
        return b.build();
    }

}
