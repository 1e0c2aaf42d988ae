package io.thanosj.objstore;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A bucket in Google Cloud Storage over google-cloud-storage. Retries are the client's own
 * (idempotency-aware, and resumable uploads resume from the failed chunk), configured from
 * {@code max_retries}. Uploads stream through the client's resumable writer, which buffers one
 * {@code chunk_size_bytes} chunk.
 */
final class GcsBucket implements Bucket {
    static final String TYPE = "gcs";

    private final Storage storage;
    private final String bucket;
    private final int chunkSize;

    GcsBucket(Storage storage, String bucket, int chunkSize) {
        this.storage = storage;
        this.bucket = bucket;
        this.chunkSize = chunkSize;
    }

    void checkBucket() {
        try {
            storage.list(bucket, Storage.BlobListOption.pageSize(1));
        } catch (StorageException e) {
            String where = "gcs: bucket " + bucket;
            if (e.getCode() == 404) {
                throw new ThanosException(ErrorCode.BAD_DATA, where + ": bucket does not exist", e);
            }
            if (e.getCode() == 401 || e.getCode() == 403) {
                throw new ThanosException(ErrorCode.BAD_DATA, where + ": access denied; check service_account or the application default credentials: "
                        + ConfigNode.oneLine(e.getMessage()), e);
            }
            throw new ThanosException(ErrorCode.UNAVAILABLE, where + ": check bucket: " + ConfigNode.oneLine(e.getMessage()), e);
        }
    }

    private RuntimeException error(String op, String name, RuntimeException e) {
        if (e instanceof ThanosException) {
            return e;
        }
        String where = "gcs bucket " + bucket + ": " + op + " " + name;
        if (e instanceof StorageException s) {
            if (s.getCode() == 404) {
                return new ObjectNotFoundException(bucket, name);
            }
            return new ThanosException(ErrorCode.UNAVAILABLE, where + ": " + s.getCode() + " " + ConfigNode.oneLine(s.getMessage()), e);
        }
        return new ThanosException(ErrorCode.INTERNAL, where + ": " + e, e);
    }

    private void checkName(String name) {
        if (name.isEmpty()) {
            throw ThanosException.badData("gcs bucket " + bucket + ": object name is empty");
        }
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        String prefix = dir.isEmpty() ? "" : (dir.endsWith(DIR_DELIM) ? dir : dir + DIR_DELIM);
        List<Storage.BlobListOption> opts = new ArrayList<>();
        opts.add(Storage.BlobListOption.prefix(prefix));
        if (!recursive) {
            opts.add(Storage.BlobListOption.currentDirectory());
        }
        Page<Blob> page;
        try {
            page = storage.list(bucket, opts.toArray(new Storage.BlobListOption[0]));
        } catch (RuntimeException e) {
            throw error("list", prefix, e);
        }
        List<String> names = new ArrayList<>();
        while (page != null) {
            names.clear();
            for (Blob b : page.getValues()) {
                if (!b.getName().equals(prefix)) {
                    names.add(b.getName());
                }
            }
            names.sort(Utf8Order::compare);
            for (String n : names) {
                visitor.accept(n);
            }
            try {
                page = page.hasNextPage() ? page.getNextPage() : null;
            } catch (RuntimeException e) {
                throw error("list", prefix, e);
            }
        }
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
        ReadChannel reader = null;
        try {
            reader = storage.reader(BlobId.of(bucket, name));
            reader.setChunkSize(0);
            if (offset > 0) {
                reader.seek(offset);
            }
            if (length > 0) {
                reader = reader.limit(offset + length);
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(reader), 64 * 1024);
            // The channel is lazy: read ahead so a missing object fails here, not on first read.
            in.mark(1);
            in.read();
            in.reset();
            return in;
        } catch (IOException e) {
            close(reader);
            Throwable c = e.getCause() instanceof StorageException ? e.getCause() : e;
            if (c instanceof StorageException s) {
                if (s.getCode() == 416) {
                    return Ranges.empty();
                }
                throw error("get", name, s);
            }
            throw new ThanosException(ErrorCode.UNAVAILABLE, "gcs bucket " + bucket + ": get " + name + ": " + ConfigNode.oneLine(e.getMessage()), e);
        } catch (StorageException e) {
            close(reader);
            if (e.getCode() == 416) {
                return Ranges.empty();
            }
            throw error("get", name, e);
        } catch (RuntimeException e) {
            close(reader);
            throw error("get", name, e);
        }
    }

    private static void close(ReadChannel r) {
        if (r != null) {
            r.close();
        }
    }

    private Blob blob(String name) {
        checkName(name);
        try {
            return storage.get(BlobId.of(bucket, name));
        } catch (RuntimeException e) {
            throw error("stat", name, e);
        }
    }

    @Override
    public boolean exists(String name) {
        return blob(name) != null;
    }

    @Override
    public ObjectAttributes attributes(String name) {
        Blob b = blob(name);
        if (b == null) {
            throw new ObjectNotFoundException(bucket, name);
        }
        Long updated = b.getUpdateTime();
        return new ObjectAttributes(b.getSize() == null ? 0 : b.getSize(),
                updated == null ? Instant.EPOCH : Instant.ofEpochMilli(updated));
    }

    @Override
    public void upload(String name, InputStream in) {
        checkName(name);
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, name)).build();
        try (WriteChannel w = storage.writer(info)) {
            w.setChunkSize(chunkSize);
            byte[] buf = new byte[64 * 1024];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            int n;
            while ((n = in.read(buf)) > 0) {
                bb.clear().limit(n);
                while (bb.hasRemaining()) {
                    w.write(bb);
                }
            }
        } catch (IOException e) {
            if (e.getCause() instanceof StorageException s) {
                throw error("upload", name, s);
            }
            throw new ThanosException(ErrorCode.UNAVAILABLE, "gcs bucket " + bucket + ": upload " + name + ": " + ConfigNode.oneLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw error("upload", name, e);
        }
    }

    @Override
    public void delete(String name) {
        checkName(name);
        try {
            storage.delete(BlobId.of(bucket, name));
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
            storage.close();
        } catch (Exception e) {
            throw new ThanosException(ErrorCode.INTERNAL, "gcs bucket " + bucket + ": close client: " + ConfigNode.oneLine(e.getMessage()), e);
        }
    }
}
