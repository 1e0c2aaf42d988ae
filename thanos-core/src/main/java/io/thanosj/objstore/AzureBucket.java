package io.thanosj.objstore;

import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * A container in Azure Blob Storage over azure-storage-blob. The SDK's retry policy is set to
 * one try; requests go through a {@link Retrier}. Uploads stage {@code BLOCK_SIZE} blocks from a
 * {@link PartBuffer} and commit the block list, so each block can be retried and only one block is
 * held in memory; a short object is a single PUT.
 */
final class AzureBucket implements Bucket {
    static final String TYPE = "azure";
    static final long BLOCK_SIZE = 16L * 1024 * 1024;
    static final int MAX_BLOCKS = 50_000;

    private final BlobContainerClient container;
    private final String account;
    private final Retrier retrier;
    private final long blockSize;
    private final int pageSize;

    AzureBucket(BlobContainerClient container, String account, Retrier retrier, long blockSize, int pageSize) {
        this.container = container;
        this.account = account;
        this.retrier = retrier;
        this.blockSize = blockSize;
        this.pageSize = pageSize;
    }

    void checkContainer(boolean create) {
        String where = "azure: container " + container.getBlobContainerName() + " in storage account " + account
                + " at " + container.getBlobContainerUrl();
        try {
            if (container.exists()) {
                return;
            }
            if (!create) {
                throw new ThanosException(ErrorCode.BAD_DATA, where + ": container does not exist (set storage_create_container: true to create it)");
            }
            container.createIfNotExists();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
                throw new ThanosException(ErrorCode.BAD_DATA, where + ": access denied (" + e.getErrorCode()
                        + "); check storage_account_key or the identity's role assignment", e);
            }
            throw new ThanosException(ErrorCode.UNAVAILABLE, where + ": check container: " + e.getStatusCode() + " " + e.getErrorCode(), e);
        } catch (ThanosException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, where + ": cannot reach endpoint: " + rootMessage(e), e);
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
        if (t instanceof BlobStorageException e) {
            return e.getStatusCode() >= 500 || e.getStatusCode() == 429 || e.getStatusCode() == 408;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof SSLException) {
                return false;
            }
            if (c instanceof IOException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private String name0() {
        return container.getBlobContainerName();
    }

    private RuntimeException error(String op, String name, RuntimeException e) {
        if (e instanceof ThanosException) {
            return e;
        }
        String where = "azure container " + name0() + ": " + op + " " + name;
        if (e instanceof BlobStorageException s) {
            if (s.getStatusCode() == 404 && !"ContainerNotFound".equals(String.valueOf(s.getErrorCode()))) {
                return new ObjectNotFoundException(name0(), name);
            }
            return new ThanosException(ErrorCode.UNAVAILABLE, where + ": " + s.getStatusCode() + " " + s.getErrorCode(), e);
        }
        return new ThanosException(ErrorCode.UNAVAILABLE, where + ": " + rootMessage(e), e);
    }

    private void checkName(String name) {
        if (name.isEmpty()) {
            throw ThanosException.badData("azure container " + name0() + ": object name is empty");
        }
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        String prefix = dir.isEmpty() ? "" : (dir.endsWith(DIR_DELIM) ? dir : dir + DIR_DELIM);
        ListBlobsOptions opts = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix);
        if (pageSize > 0) {
            opts.setMaxResultsPerPage(pageSize);
        }
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            PagedResponse<BlobItem> page;
            try {
                page = retrier.call(() -> {
                    var all = recursive ? container.listBlobs(opts, null) : container.listBlobsByHierarchy(DIR_DELIM, opts, null);
                    Iterator<PagedResponse<BlobItem>> it = (t == null ? all.iterableByPage() : all.iterableByPage(t)).iterator();
                    return it.hasNext() ? it.next() : null;
                });
            } catch (RuntimeException e) {
                throw error("list", prefix, e);
            }
            if (page == null) {
                break;
            }
            names.clear();
            for (BlobItem item : page.getValue()) {
                if (!item.getName().equals(prefix)) {
                    names.add(item.getName());
                }
            }
            names.sort(Utf8Order::compare);
            for (String n : names) {
                visitor.accept(n);
            }
            token = page.getContinuationToken();
        } while (token != null && !token.isEmpty());
    }

    @Override
    public InputStream get(String name) {
        return getRange(name, 0, -1);
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        Ranges.check(name0(), name, offset, length);
        BlobClient blob = container.getBlobClient(name);
        BlobProperties props;
        try {
            props = retrier.call(blob::getProperties);
        } catch (RuntimeException e) {
            throw error("get", name, e);
        }
        long size = props.getBlobSize();
        if (offset >= size || length == 0) {
            return Ranges.empty();
        }
        long count = length < 0 ? size - offset : Math.min(length, size - offset);
        try {
            // Reads in 4 MiB range requests; the ETag condition keeps them on one version of the blob.
            return retrier.call(() -> blob.openInputStream(new BlobInputStreamOptions()
                    .setRange(new BlobRange(offset, count))
                    .setRequestConditions(new com.azure.storage.blob.models.BlobRequestConditions().setIfMatch(props.getETag()))));
        } catch (RuntimeException e) {
            throw error("get", name, e);
        }
    }

    @Override
    public boolean exists(String name) {
        checkName(name);
        try {
            return retrier.call(() -> container.getBlobClient(name).exists());
        } catch (RuntimeException e) {
            throw error("stat", name, e);
        }
    }

    @Override
    public ObjectAttributes attributes(String name) {
        checkName(name);
        try {
            BlobProperties p = retrier.call(() -> container.getBlobClient(name).getProperties());
            return new ObjectAttributes(p.getBlobSize(), p.getLastModified().toInstant());
        } catch (RuntimeException e) {
            throw error("stat", name, e);
        }
    }

    @Override
    public void upload(String name, InputStream in) {
        checkName(name);
        BlockBlobClient blob = container.getBlobClient(name).getBlockBlobClient();
        PartBuffer part = new PartBuffer();
        try {
            long n = part.fill(in, blockSize);
            if (n < blockSize) {
                retrier.call(() -> blob.upload(part.newInputStream(), part.length(), true));
                return;
            }
            List<String> ids = new ArrayList<>();
            while (n > 0) {
                if (ids.size() == MAX_BLOCKS) {
                    throw ThanosException.badData("azure container " + name0() + ": upload " + name + ": more than "
                            + MAX_BLOCKS + " blocks");
                }
                String id = Base64.getEncoder().encodeToString(String.format("%08d", ids.size()).getBytes(StandardCharsets.US_ASCII));
                retrier.run(() -> blob.stageBlock(id, part.newInputStream(), part.length()));
                ids.add(id);
                n = part.fill(in, blockSize);
            }
            retrier.call(() -> blob.commitBlockList(ids, true));
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.INTERNAL, "azure container " + name0() + ": upload " + name
                    + ": read input: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw error("upload", name, e);
        }
    }

    @Override
    public void delete(String name) {
        checkName(name);
        try {
            retrier.call(() -> container.getBlobClient(name).deleteIfExists());
        } catch (RuntimeException e) {
            throw error("delete", name, e);
        }
    }

    @Override
    public String name() {
        return name0();
    }

    @Override
    public void close() {
        // The SDK's HTTP client is shared and closes with the JVM.
    }
}
