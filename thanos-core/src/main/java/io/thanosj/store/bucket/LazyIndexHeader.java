package io.thanosj.store.bucket;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A block's index-header file, memory-mapped on first use and unmapped after it has been idle
 * (Thanos's lazy binary reader). Users bracket their work with {@link #acquire()} and
 * {@link #release()}; a reader in use is neither unloaded nor closed until released. A file that
 * turns out corrupted when loaded is rebuilt from the bucket once.
 */
final class LazyIndexHeader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LazyIndexHeader.class);

    private final Path file;
    private final String blockId;
    private final Runnable rebuild;
    private final BucketStoreMetrics metrics;
    private final LongSupplier nanoClock;
    private IndexHeaderReader reader;
    private int users;
    private long lastUsed;
    private boolean closed;

    /** {@code rebuild} rewrites the file from the bucket. */
    LazyIndexHeader(Path file, String blockId, Runnable rebuild, BucketStoreMetrics metrics, LongSupplier nanoClock) {
        this.file = file;
        this.blockId = blockId;
        this.rebuild = rebuild;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.lastUsed = nanoClock.getAsLong();
    }

    synchronized IndexHeaderReader acquire() {
        if (closed) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read index-header of block " + blockId
                    + ": the block was dropped from this store");
        }
        if (reader == null) {
            long start = System.nanoTime();
            try {
                reader = open();
            } catch (RuntimeException e) {
                metrics.lazyLoadFailures.increment();
                throw e;
            }
            metrics.lazyLoads.increment();
            metrics.indexHeaderLoadDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        users++;
        lastUsed = nanoClock.getAsLong();
        return reader;
    }

    private IndexHeaderReader open() {
        try {
            return IndexHeaderReader.open(file, blockId);
        } catch (ThanosException e) {
            if (e.code() != ErrorCode.CORRUPTED && e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            log.atWarn().addKeyValue("block", blockId).addKeyValue("err", e.getMessage())
                    .log("index-header unreadable; rebuilding it from the bucket");
            rebuild.run();
            return IndexHeaderReader.open(file, blockId);
        }
    }

    synchronized void release() {
        users--;
        lastUsed = nanoClock.getAsLong();
        if (closed && users == 0) {
            unmap();
        }
    }

    synchronized boolean loaded() {
        return reader != null;
    }

    /** Unmaps the reader when nobody uses it and it was last used {@code idleNanos} ago. */
    synchronized boolean unloadIfIdle(long idleNanos) {
        if (reader == null || users > 0 || nanoClock.getAsLong() - lastUsed < idleNanos) {
            return false;
        }
        unmap();
        metrics.lazyUnloads.increment();
        return true;
    }

    /** Heap held by the loaded reader, 0 when not loaded. */
    synchronized long heapBytes() {
        return reader == null ? 0 : reader.heapBytes();
    }

    private void unmap() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    /** No new users; the reader is unmapped now, or when its last user releases it. */
    @Override
    public synchronized void close() {
        closed = true;
        if (users == 0) {
            unmap();
        }
    }
}
