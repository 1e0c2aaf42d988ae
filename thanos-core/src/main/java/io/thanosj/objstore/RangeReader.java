package io.thanosj.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Ranged GETs of a path-style S3 endpoint signed with the SDK's SigV4 signer and sent on the
 * SDK's HTTP client, without the SDK's request pipeline (interceptors, endpoint rules, response
 * unmarshalling). The store gateway's cold queries are a few rounds of small range reads, and
 * that pipeline cost more CPU per read than the HTTP exchange and S3's own work together.
 * Failures come back as the {@link S3Exception}s and {@link SdkClientException}s the SDK would
 * throw, so retries and error messages are the same. Only for configurations where a GET needs
 * nothing but the range (no SSE-C headers, no virtual-hosted or cross-region addressing).
 */
final class RangeReader implements AutoCloseable {
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,128})</Code>");

    private final SdkHttpClient http;
    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    RangeReader(SdkHttpClient http, URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.http = http;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * The body of {@code GET /bucket/name} with {@code Range: range}; the caller closes it. Any
     * other status than 200 or 206 (416 too, which {@link S3Bucket} reads as empty) is thrown.
     */
    InputStream get(String bucket, String name, String range) {
        SdkHttpFullRequest req = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(endpoint)
                .encodedPath("/" + SdkHttpUtils.urlEncodeIgnoreSlashes(bucket) + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(name))
                .putHeader("Range", range)
                .build();
        SdkHttpFullRequest signed = (SdkHttpFullRequest) signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(req)
                .payload(null)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                // The hash of the empty body, as the SDK signs a GET: accepted by every S3 flavour.
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
        HttpExecuteResponse resp;
        try {
            resp = http.prepareRequest(HttpExecuteRequest.builder().request(signed).build()).call();
        } catch (IOException e) {
            throw SdkClientException.create("Unable to execute HTTP request: " + e.getMessage(), e);
        }
        int status = resp.httpResponse().statusCode();
        AbortableInputStream body = resp.responseBody().orElse(null);
        if (status == 200 || status == 206) {
            return body == null ? InputStream.nullInputStream() : body;
        }
        String text = "";
        if (body != null) {
            try (body) {
                text = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // The status alone says enough.
            }
        }
        Matcher m = ERROR_CODE.matcher(text);
        String code = m.find() ? m.group(1) : null;
        throw (S3Exception) S3Exception.builder()
                .statusCode(status)
                .message(code == null ? "status " + status : code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).serviceName("S3").build())
                .build();
    }

    @Override
    public void close() {
        http.close();
    }
}
