package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config errors: each is one BAD_DATA line naming the field, with line and column where known. */
@Tag("unit")
class TestBucketFactory {
    @TempDir
    Path dir;

    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(String yaml) {
        return assertThatThrownBy(() -> BucketFactory.createUninstrumented(yaml, d -> { }, false))
                .isInstanceOf(ThanosException.class)
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.BAD_DATA))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static final String S3 = "type: S3\nconfig:\n  bucket: b\n  endpoint: 127.0.0.1:9000\n  access_key: a\n  secret_key: s\n";

    @Test
    void malformedYamlNamesLineAndColumn() {
        rejects("type: S3\nconfig:\n  bucket: [unclosed\n  endpoint: x\n")
                .hasMessageStartingWith("objstore config: malformed yaml at line 4, column 11: ");
        rejects("type: S3\n\tconfig: {}\n").hasMessageStartingWith("objstore config: malformed yaml at line 2, column 1: ");
    }

    @Test
    void emptyOrNotAMapping() {
        rejects("").hasMessage("objstore config: empty; set --objstore.config-file or --objstore.config");
        rejects("# only a comment\n").hasMessage("objstore config: empty; set --objstore.config-file or --objstore.config");
        rejects("- S3\n").hasMessage("objstore config: expected a mapping with type, config and prefix (line 1, column 1)");
    }

    @Test
    void typeIsRequiredAndKnown() {
        rejects("config: {}\n").hasMessage("objstore config: missing field type (one of S3, GCS, AZURE, FILESYSTEM)");
        rejects("type: SWIFT\nconfig: {}\n")
                .hasMessage("objstore config: unknown type \"SWIFT\"; supported types are S3, GCS, AZURE, FILESYSTEM (line 1, column 7)");
        rejects("type: S3\nconfig: {}\nprefx: a\n")
                .hasMessageStartingWith("objstore config: top level: unknown field prefx (known: config, prefix, type) (line 3, column 1)");
    }

    @Test
    void s3MissingAndUnknownFields() {
        rejects("type: S3\nconfig:\n  endpoint: e:1\n").hasMessage("objstore config: s3: missing field bucket");
        rejects("type: S3\nconfig:\n  bucket: b\n").hasMessage("objstore config: s3: missing field endpoint");
        rejects(S3 + "  bucktet: x\n")
                .hasMessageStartingWith("objstore config: s3: unknown field bucktet (known: ")
                .hasMessageEndingWith("(line 7, column 3)");
        rejects(S3 + "  http_config:\n    idle_timeout: 1m\n")
                .hasMessageStartingWith("objstore config: s3: unknown field http_config.idle_timeout (known: ")
                .hasMessageEndingWith("(line 8, column 5)");
        rejects("type: S3\nconfig:\n  bucket: b\n  endpoint: e:1\n  access_key: a\n")
                .hasMessage("objstore config: s3: missing field secret_key");
        rejects("type: S3\nconfig:\n  bucket: b\n  endpoint: e:1\n  secret_key: a\n")
                .hasMessage("objstore config: s3: missing field access_key");
    }

    @Test
    void s3RejectsBadValuesNamingTheField() {
        rejects(S3 + "  signature_version2: true\n").hasMessage("objstore config: s3: field signature_version2: signature "
                + "version 2 is not supported; use signature version 4 (signature_version2: false) (line 7, column 23)");
        rejects(S3 + "  insecure: maybe\n")
                .hasMessage("objstore config: s3: field insecure: expected true or false, got \"maybe\" (line 7, column 13)");
        rejects(S3 + "  http_config:\n    idle_conn_timeout: soon\n")
                .hasMessage("objstore config: s3: field http_config.idle_conn_timeout: expected a duration like 1m30s, got \"soon\" (line 8, column 24)");
        rejects(S3 + "  part_size: 1024\n").hasMessageContaining("field part_size: must be at least 5242880 bytes");
        rejects(S3 + "  part_size: big\n").hasMessageContaining("field part_size: expected an integer, got \"big\"");
        rejects(S3 + "  bucket_lookup_type: dns\n")
                .hasMessageContaining("field bucket_lookup_type: supported values are auto, virtual-hosted and path, got \"dns\"");
        rejects(S3 + "  list_objects_version: v3\n").hasMessageContaining("field list_objects_version: supported values are v1 and v2");
        rejects(S3.replace("127.0.0.1:9000", "http://127.0.0.1:9000"))
                .hasMessageContaining("field endpoint: expected host[:port] without scheme or path");
        rejects(S3 + "  aws_sdk_auth: true\n").hasMessageContaining("aws_sdk_auth and access_key are mutually exclusive");
        rejects(S3 + "  http_config:\n    tls_config:\n      cert_file: c.pem\n")
                .hasMessageContaining("field http_config.tls_config.cert_file: cert_file and key_file must be set together");
        rejects(S3 + "  http_config:\n    tls_config:\n      ca_file: /no/such/ca.pem\n")
                .hasMessageContaining("field http_config.tls_config.ca_file: read /no/such/ca.pem");
    }

    @Test
    void s3ServerSideEncryption() throws Exception {
        rejects(S3 + "  sse_config:\n    type: SSE-XYZ\n")
                .hasMessageContaining("field sse_config.type: unsupported type \"SSE-XYZ\"; supported types are SSE-S3, SSE-KMS, SSE-C");
        rejects(S3 + "  sse_config:\n    type: SSE-KMS\n").hasMessage("objstore config: s3: missing field sse_config.kms_key_id");
        rejects(S3 + "  sse_config:\n    type: SSE-C\n").hasMessage("objstore config: s3: missing field sse_config.encryption_key");
        Path shortKey = Files.write(dir.resolve("short.key"), new byte[5]);
        rejects(S3 + "  sse_config:\n    type: SSE-C\n    encryption_key: " + shortKey + "\n")
                .hasMessageContaining("must hold a 32-byte key, it has 5 bytes");

        S3Encryption kms = S3Encryption.parse(ConfigNode.of("s3", new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(
                "sse_config:\n  type: SSE-KMS\n  kms_key_id: k1\n  kms_encryption_context:\n    team: obs\n"))));
        var put = software.amazon.awssdk.services.s3.model.PutObjectRequest.builder();
        kms.applyToPut(put);
        var req = put.build();
        assertThat(req.serverSideEncryptionAsString()).isEqualTo("aws:kms");
        assertThat(req.ssekmsKeyId()).isEqualTo("k1");
        assertThat(new String(java.util.Base64.getDecoder().decode(req.ssekmsEncryptionContext()))).isEqualTo("{\"team\":\"obs\"}");

        Path key = Files.write(dir.resolve("good.key"), new byte[32]);
        S3Encryption c = S3Encryption.parse(ConfigNode.of("s3", new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(
                "sse_config:\n  type: SSE-C\n  encryption_key: " + key + "\n"))));
        var get = software.amazon.awssdk.services.s3.model.GetObjectRequest.builder();
        c.applyToGet(get);
        assertThat(get.build().sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(get.build().sseCustomerKeyMD5()).isNotEmpty();
    }

    @Test
    void s3ValidConfigBuildsWithoutContactingTheEndpoint() {
        Bucket b = BucketFactory.createUninstrumented(S3 + "  region: eu-west-1\n  bucket_lookup_type: path\n"
                + "  http_config:\n    idle_conn_timeout: 1m30s\n    response_header_timeout: 2m\n    insecure_skip_verify: true\n"
                + "  trace:\n    enable: false\n  max_retries: 2\nprefix: tenant\n", d -> { }, false);
        assertThat(b.name()).isEqualTo("b");
        b.close();
    }

    @Test
    void gcsAndAzureRequiredFields() {
        rejects("type: GCS\nconfig: {}\n").hasMessage("objstore config: gcs: missing field bucket");
        rejects("type: GCS\nconfig:\n  bucket: b\n  service_account: '{not json'\n")
                .hasMessageStartingWith("objstore config: gcs: field service_account: not a valid service account JSON key");
        rejects("type: GCS\nconfig:\n  bucket: b\n  use_grpc: true\n").hasMessageContaining("field use_grpc: the gRPC API is not supported");
        rejects("type: AZURE\nconfig:\n  storage_account: a\n").hasMessage("objstore config: azure: missing field container");
        rejects("type: AZURE\nconfig:\n  container: c\n").hasMessage("objstore config: azure: missing field storage_account");
        rejects("type: AZURE\nconfig:\n  container: c\n  storage_account: a\n  storage_account_key: k\n  user_assigned_id: u\n")
                .hasMessageContaining("storage_account_key and user_assigned_id are mutually exclusive");
        rejects("type: AZURE\nconfig:\n  container: c\n  storage_account: a\n  pipeline_config:\n    try_timeout: 5x\n")
                .hasMessageContaining("field pipeline_config.try_timeout: expected a duration");
    }

    @Test
    void firstDocumentOnlyAndCaseInsensitiveType() {
        Bucket b = BucketFactory.createUninstrumented("type: filesystem\nconfig:\n  directory: " + dir + "\n---\ntype: S3\n",
                d -> { }, false);
        assertThat(b.name()).isEqualTo("fs: " + dir);
    }

    @Test
    void configContentFromFileOrFlag() throws Exception {
        Path f = Files.writeString(dir.resolve("objstore.yml"), "type: FILESYSTEM\n");
        assertThat(BucketFactory.configContent(f.toString(), null)).isEqualTo("type: FILESYSTEM\n");
        assertThat(BucketFactory.configContent(null, "type: S3")).isEqualTo("type: S3");
        assertThat(BucketFactory.configContent("", "")).isEmpty();
        assertThatThrownBy(() -> BucketFactory.configContent(f.toString(), "type: S3"))
                .hasMessage("--objstore.config-file and --objstore.config are mutually exclusive");
        assertThatThrownBy(() -> BucketFactory.configContent(dir.resolve("nope.yml").toString(), null))
                .hasMessage("read --objstore.config-file " + dir.resolve("nope.yml") + ": no such file");
    }

    @Test
    void goDurations() {
        assertThat(ConfigNode.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigNode.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ConfigNode.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(ConfigNode.parseDuration("0s")).isEqualTo(Duration.ZERO);
        assertThat(ConfigNode.parseDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ConfigNode.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigNode.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(ConfigNode.parseDuration("90")).isNull();
        assertThat(ConfigNode.parseDuration("1x")).isNull();
        assertThat(ConfigNode.parseDuration("")).isNull();
    }
}
