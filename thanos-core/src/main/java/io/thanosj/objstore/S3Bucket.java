package io.thanosj.objstore;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A bucket in S3 or an S3-compatible store, over aws-sdk-java-v2's synchronous client. The SDK's
 * own retries are off; each request goes through a {@link Retrier}. Uploads read one
 * {@code part_size} part at a time into a {@link PartBuffer}: a short object is one PUT, a longer
 * one a multipart upload whose parts can be retried from the buffer.
 */
final class S3Bucket implements Bucket {
    static final String TYPE = "s3";
    /** S3's smallest part (except the last one). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;

    /** Per-request settings derived from the config (encryption, metadata, listing flavour). */
    record Options(
            long partSize,
            boolean disableMultipart,
            boolean listV1,
            S3Encryption encryption,
            Map<String, String> userMetadata,
            String storageClass) {
    }

    private final S3Client client;
    private final String bucket;
    private final String endpoint;
    private final Options options;
    private final Retrier retrier;
    /** Ranged reads without the SDK's request pipeline; null when they must go through the SDK. */
    private final RangeReader ranges;

    S3Bucket(S3Client client, String bucket, String endpoint, Options options, Retrier retrier) {
        this(client, bucket, endpoint, options, retrier, null);
    }

    S3Bucket(S3Client client, String bucket, String endpoint, Options options, Retrier retrier, RangeReader ranges) {
        this.client = client;
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.options = options;
        this.retrier = retrier;
        this.ranges = ranges;
    }

    /**
     * Checks at creation that the bucket exists and the credentials work, with one quick list
     * request (no retries), so that a wrong config fails at startup with a clear message.
     */
    void checkBucket() {
        try {
            if (options.listV1()) {
                client.listObjects(b -> b.bucket(bucket).maxKeys(1));
            } else {
                client.listObjectsV2(b -> b.bucket(bucket).maxKeys(1));
            }
        } catch (RuntimeException e) {
            String where = "s3: bucket " + bucket + " at endpoint " + endpoint;
            if (e instanceof S3Exception s3) {
                String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
                if ("NoSuchBucket".equals(code) || s3.statusCode() == 404) {
                    throw new ThanosException(ErrorCode.BAD_DATA, where + ": bucket does not exist", e);
                }
                if (s3.statusCode() == 403 || s3.statusCode() == 401) {
                    throw new ThanosException(ErrorCode.BAD_DATA, where + ": access denied (" + code
                            + "); check access_key, secret_key and session_token or the credentials in the environment", e);
                }
                throw new ThanosException(ErrorCode.UNAVAILABLE, where + ": check bucket: " + s3.statusCode() + " " + code, e);
            }
            if (e instanceof SdkClientException) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, where + ": cannot reach endpoint: " + rootMessage(e), e);
            }
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return ConfigNode.oneLine(c.getMessage() == null ? c.toString() : c.getMessage());
    }

    static boolean isTransient(Throwable t) {
        if (t instanceof SdkServiceException s) {
            return s.statusCode() >= 500 || s.statusCode() == 429 || s.isThrottlingException()
                    || (t instanceof S3Exception s3 && s3.awsErrorDetails() != null
                        && ("SlowDown".equals(s3.awsErrorDetails().errorCode())
                            || "RequestTimeout".equals(s3.awsErrorDetails().errorCode())));
        }
        if (t instanceof SdkClientException) {
            for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
                if (c instanceof UnknownHostException || c instanceof SSLException) {
                    return false;
                }
                if (c instanceof IOException) {
                    return true;
                }
            }
        }
        return false;
    }

    private RuntimeException error(String op, String name, RuntimeException e) {
        if (e instanceof ThanosException) {
            return e;
        }
        String where = "s3 bucket " + bucket + ": " + op + " " + name;
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if ("NoSuchKey".equals(code) || (s3.statusCode() == 404 && !"NoSuchBucket".equals(code))) {
                return new ObjectNotFoundException(bucket, name);
            }
            String detail = s3.statusCode() + (code == null ? "" : " " + code);
            if (s3.statusCode() == 403) {
                return new ThanosException(ErrorCode.UNAVAILABLE, where + ": access denied: " + detail, e);
            }
            return new ThanosException(ErrorCode.UNAVAILABLE, where + ": " + detail, e);
        }
        if (e instanceof SdkClientException) {
            return new ThanosException(ErrorCode.UNAVAILABLE, where + ": endpoint " + endpoint + ": " + rootMessage(e), e);
        }
        return new ThanosException(ErrorCode.INTERNAL, where + ": " + e, e);
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        String prefix = dir.isEmpty() ? "" : (dir.endsWith(DIR_DELIM) ? dir : dir + DIR_DELIM);
        String delimiter = recursive ? null : DIR_DELIM;
        List<String> page = new ArrayList<>();
        String token = null;
        do {
            page.clear();
            String t = token;
            try {
                if (options.listV1()) {
                    ListObjectsResponse r = retrier.call(() -> client.listObjects(ListObjectsRequest.builder()
                            .bucket(bucket).prefix(prefix).delimiter(delimiter).marker(t).build()));
                    collect(r.contents(), r.commonPrefixes(), prefix, page);
                    boolean more = Boolean.TRUE.equals(r.isTruncated());
                    token = !more ? null : r.nextMarker() != null ? r.nextMarker() : lastOf(r.contents(), r.commonPrefixes());
                } else {
                    ListObjectsV2Response r = retrier.call(() -> client.listObjectsV2(ListObjectsV2Request.builder()
                            .bucket(bucket).prefix(prefix).delimiter(delimiter).continuationToken(t).build()));
                    collect(r.contents(), r.commonPrefixes(), prefix, page);
                    token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
                }
            } catch (RuntimeException e) {
                throw error("list", prefix, e);
            }
            for (String n : page) {
                visitor.accept(n);
            }
        } while (token != null);
    }

    private static void collect(List<S3Object> contents, List<CommonPrefix> prefixes, String dir, List<String> out) {
        for (S3Object o : contents) {
            // Some stores list the directory marker object itself.
            if (!o.key().equals(dir)) {
                out.add(o.key());
            }
        }
        for (CommonPrefix p : prefixes) {
            out.add(p.prefix());
        }
        // A page holds keys and prefixes of one key range; merge them into one sorted run.
        out.sort(Utf8Order::compare);
    }

    private static String lastOf(List<S3Object> contents, List<CommonPrefix> prefixes) {
        String last = contents.isEmpty() ? null : contents.get(contents.size() - 1).key();
        String lastPrefix = prefixes.isEmpty() ? null : prefixes.get(prefixes.size() - 1).prefix();
        if (last == null) {
            return lastPrefix;
        }
        return lastPrefix == null || Utf8Order.compare(last, lastPrefix) > 0 ? last : lastPrefix;
    }

    @Override
    public InputStream get(String name) {
        return getRange(name, 0, -1);
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        Ranges.check(bucket, name, offset, length);
        if (length == 0) {
            attributes(name);
            return Ranges.empty();
        }
        try {
            if (ranges != null && length > 0) {
                String range = Ranges.header(offset, length);
                return retrier.call(() -> ranges.get(bucket, name, range));
            }
            GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(name).range(Ranges.header(offset, length));
            options.encryption().applyToGet(b);
            GetObjectRequest req = b.build();
            return retrier.call(() -> client.getObject(req, ResponseTransformer.toInputStream()));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // The offset is at or past the end of an existing object.
                return Ranges.empty();
            }
            throw error("get", name, e);
        } catch (RuntimeException e) {
            throw error("get", name, e);
        }
    }

    private HeadObjectResponse head(String name) {
        if (name.isEmpty()) {
            throw ThanosException.badData("s3 bucket " + bucket + ": object name is empty");
        }
        HeadObjectRequest.Builder b = HeadObjectRequest.builder().bucket(bucket).key(name);
        options.encryption().applyToHead(b);
        HeadObjectRequest req = b.build();
        try {
            return retrier.call(() -> client.headObject(req));
        } catch (RuntimeException e) {
            throw error("stat", name, e);
        }
    }

    @Override
    public boolean exists(String name) {
        try {
            head(name);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    @Override
    public ObjectAttributes attributes(String name) {
        HeadObjectResponse h = head(name);
        return new ObjectAttributes(h.contentLength(), h.lastModified());
    }

    @Override
    public void upload(String name, InputStream in) {
        if (name.isEmpty()) {
            throw ThanosException.badData("s3 bucket " + bucket + ": object name is empty");
        }
        PartBuffer part = new PartBuffer();
        long n;
        try {
            n = part.fill(in, options.partSize());
        } catch (IOException e) {
            throw readError(name, e);
        }
        if (n < options.partSize()) {
            putObject(name, part);
        } else if (options.disableMultipart()) {
            putSpooled(name, part, in);
        } else {
            multipart(name, part, in);
        }
    }

    private ThanosException readError(String name, IOException e) {
        return new ThanosException(ErrorCode.INTERNAL, "s3 bucket " + bucket + ": upload " + name + ": read input: " + e.getMessage(), e);
    }

    private PutObjectRequest putRequest(String name, long length) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(name).contentLength(length)
                .metadata(options.userMetadata());
        if (!options.storageClass().isEmpty()) {
            b.storageClass(options.storageClass());
        }
        options.encryption().applyToPut(b);
        return b.build();
    }

    private void putObject(String name, PartBuffer part) {
        PutObjectRequest req = putRequest(name, part.length());
        try {
            retrier.call(() -> client.putObject(req,
                    RequestBody.fromContentProvider(part::newInputStream, part.length(), "application/octet-stream")));
        } catch (RuntimeException e) {
            throw error("upload", name, e);
        }
    }

    /** disable_multipart: one PUT of unknown length, spooled to a temporary file instead of the heap. */
    private void putSpooled(String name, PartBuffer first, InputStream rest) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("thanosj-s3-upload-", ".part");
            try (var out = Files.newOutputStream(tmp)) {
                first.newInputStream().transferTo(out);
                rest.transferTo(out);
            } catch (IOException e) {
                throw readError(name, e);
            }
            long size = Files.size(tmp);
            Path file = tmp;
            PutObjectRequest req = putRequest(name, size);
            retrier.call(() -> client.putObject(req, RequestBody.fromFile(file)));
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.INTERNAL, "s3 bucket " + bucket + ": upload " + name
                    + ": spool to temporary file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw error("upload", name, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Only a leftover temporary file.
                }
            }
        }
    }

    private void multipart(String name, PartBuffer part, InputStream in) {
        CreateMultipartUploadRequest.Builder cb = CreateMultipartUploadRequest.builder().bucket(bucket).key(name)
                .metadata(options.userMetadata());
        if (!options.storageClass().isEmpty()) {
            cb.storageClass(options.storageClass());
        }
        options.encryption().applyToCreateMultipart(cb);
        CreateMultipartUploadRequest create = cb.build();
        String uploadId;
        try {
            uploadId = retrier.call(() -> client.createMultipartUpload(create)).uploadId();
        } catch (RuntimeException e) {
            throw error("upload", name, e);
        }
        List<CompletedPart> done = new ArrayList<>();
        try {
            int number = 1;
            long n = part.length();
            while (n > 0) {
                if (number > MAX_PARTS) {
                    throw ThanosException.badData("s3 bucket " + bucket + ": upload " + name + ": more than " + MAX_PARTS
                            + " parts of part_size " + options.partSize() + " bytes; raise part_size");
                }
                UploadPartRequest.Builder pb = UploadPartRequest.builder().bucket(bucket).key(name)
                        .uploadId(uploadId).partNumber(number).contentLength(n);
                options.encryption().applyToUploadPart(pb);
                UploadPartRequest req = pb.build();
                String etag = retrier.call(() -> client.uploadPart(req,
                        RequestBody.fromContentProvider(part::newInputStream, part.length(), "application/octet-stream"))).eTag();
                done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                number++;
                try {
                    n = part.fill(in, options.partSize());
                } catch (IOException e) {
                    throw readError(name, e);
                }
            }
            retrier.call(() -> client.completeMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done))));
        } catch (RuntimeException e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
            } catch (RuntimeException abortError) {
                e.addSuppressed(abortError);
            }
            throw error("upload", name, e);
        }
    }

    @Override
    public void delete(String name) {
        if (name.isEmpty()) {
            throw ThanosException.badData("s3 bucket " + bucket + ": object name is empty");
        }
        try {
            retrier.call(() -> client.deleteObject(b -> b.bucket(bucket).key(name)));
        } catch (RuntimeException e) {
            RuntimeException mapped = error("delete", name, e);
            if (!(mapped instanceof ObjectNotFoundException)) {
                throw mapped;
            }
        }
    }

    @Override
    public String name() {
        return bucket;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            if (ranges != null) {
                ranges.close();
            }
        }
    }
}
