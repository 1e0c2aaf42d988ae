package io.thanosj.objstore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Thanos's {@code sse_config}: SSE-S3, SSE-KMS (key id and optional encryption context) or SSE-C
 * (a 32-byte key read from the file named by {@code encryption_key}). SSE-C must be sent on every
 * read too; the others only on writes.
 */
record S3Encryption(String type, String kmsKeyId, String kmsContext, String customerKey, String customerKeyMd5) {
    static final S3Encryption NONE = new S3Encryption("", null, null, null, null);

    static S3Encryption parse(ConfigNode s3) {
        ConfigNode c = s3.child("sse_config").allowOnly("type", "kms_key_id", "kms_encryption_context", "encryption_key");
        String type = c.string("type", "");
        switch (type) {
            case "":
                return NONE;
            case "SSE-S3":
                return new S3Encryption(type, null, null, null, null);
            case "SSE-KMS": {
                String keyId = c.requiredString("kms_key_id");
                Map<String, String> ctx = c.stringMap("kms_encryption_context");
                String json = ctx.isEmpty() ? null : Base64.getEncoder().encodeToString(toJson(ctx).getBytes(StandardCharsets.UTF_8));
                return new S3Encryption(type, keyId, json, null, null);
            }
            case "SSE-C": {
                String file = c.requiredString("encryption_key");
                byte[] key;
                try {
                    key = Files.readAllBytes(Path.of(file));
                } catch (IOException e) {
                    throw c.invalid("encryption_key", "read " + file + ": " + e.getMessage());
                }
                if (key.length != 32) {
                    throw c.invalid("encryption_key", file + " must hold a 32-byte key, it has " + key.length + " bytes");
                }
                try {
                    byte[] md5 = MessageDigest.getInstance("MD5").digest(key);
                    return new S3Encryption(type, null, null, Base64.getEncoder().encodeToString(key),
                            Base64.getEncoder().encodeToString(md5));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            default:
                throw c.invalid("type", "unsupported type \"" + type + "\"; supported types are SSE-S3, SSE-KMS, SSE-C");
        }
    }

    private static String toJson(Map<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private boolean customer() {
        return customerKey != null;
    }

    void applyToPut(PutObjectRequest.Builder b) {
        switch (type) {
            case "SSE-S3" -> b.serverSideEncryption(ServerSideEncryption.AES256);
            case "SSE-KMS" -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId).ssekmsEncryptionContext(kmsContext);
            case "SSE-C" -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(customerKeyMd5);
            default -> { }
        }
    }

    void applyToCreateMultipart(CreateMultipartUploadRequest.Builder b) {
        switch (type) {
            case "SSE-S3" -> b.serverSideEncryption(ServerSideEncryption.AES256);
            case "SSE-KMS" -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId).ssekmsEncryptionContext(kmsContext);
            case "SSE-C" -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(customerKeyMd5);
            default -> { }
        }
    }

    void applyToUploadPart(UploadPartRequest.Builder b) {
        if (customer()) {
            b.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(customerKeyMd5);
        }
    }

    void applyToGet(GetObjectRequest.Builder b) {
        if (customer()) {
            b.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(customerKeyMd5);
        }
    }

    void applyToHead(HeadObjectRequest.Builder b) {
        if (customer()) {
            b.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(customerKeyMd5);
        }
    }

}
