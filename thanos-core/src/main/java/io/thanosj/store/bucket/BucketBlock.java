package io.thanosj.store.bucket;

import io.thanosj.cache.IndexCache;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One block served from the bucket: its meta, external labels, lazily loaded index-header, and
 * range reads of its index and chunk files. Holds no per-query state.
 */
final class BucketBlock implements AutoCloseable {
    final BlockMeta meta;
    final String id;
    final Labels extLabels;
    final Bucket bkt;
    final IndexCache indexCache;
    final LazyIndexHeader header;
    final GapPartitioner partitioner;
    final int maxSeriesSize;
    final int maxChunkSize;
    final Path dir;
    final BucketStoreMetrics metrics;
    final Executor executor;
    private final String indexName;

    BucketBlock(BlockMeta meta, Bucket bkt, IndexCache indexCache, LazyIndexHeader header, GapPartitioner partitioner,
            int maxSeriesSize, int maxChunkSize, Path dir, BucketStoreMetrics metrics, Executor executor) {
        this.meta = meta;
        this.id = meta.ulid();
        this.extLabels = meta.thanos().externalLabels();
        this.bkt = bkt;
        this.indexCache = indexCache;
        this.header = header;
        this.partitioner = partitioner;
        this.maxSeriesSize = maxSeriesSize;
        this.maxChunkSize = maxChunkSize;
        this.dir = dir;
        this.metrics = metrics;
        this.executor = executor;
        this.indexName = id + "/index";
    }

    long resolution() {
        return meta.thanos().downsampleResolution();
    }

    /** Whether {@code [mint, maxt]} (inclusive) overlaps the block's {@code [minTime, maxTime)}. */
    boolean overlaps(long mint, long maxt) {
        return meta.minTime() <= maxt && mint < meta.maxTime();
    }

    byte[] readIndex(long off, long len) {
        return read(indexName, off, len);
    }

    byte[] readChunks(int segment, long off, long len) {
        return read(chunkFile(segment), off, len);
    }

    /** {@code <ULID>/chunks/000001} for segment 0, without a formatter on the hot path. */
    String chunkFile(int segment) {
        String n = Integer.toString(segment + 1);
        return n.length() >= 6 ? id + "/chunks/" + n : id + "/chunks/" + "000000".substring(n.length()) + n;
    }

    /** Up to {@code len} bytes from {@code off}; fewer only at the end of the object. The array must not be modified. */
    private byte[] read(String name, long off, long len) {
        if (len > Integer.MAX_VALUE - 16) {
            throw new ThanosException(ErrorCode.RESOURCE_EXHAUSTED, "read " + name + ": range of " + len
                    + " bytes at offset " + off + " is larger than 2GiB");
        }
        return bkt.getRangeBytes(name, off, (int) len);
    }

    /**
     * Runs the tasks, all but the first submitted to the executor, and waits for all; a task no
     * pool thread has started by then runs here. The first failure is thrown.
     */
    void runAll(List<Runnable> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        List<OnceTask<Void>> fs = new ArrayList<>(tasks.size() - 1);
        for (int i = 1; i < tasks.size(); i++) {
            fs.add(OnceTask.submit(tasks.get(i), executor));
        }
        RuntimeException first = null;
        try {
            tasks.get(0).run();
        } catch (RuntimeException e) {
            first = e;
        }
        for (OnceTask<Void> f : fs) {
            try {
                f.join();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        header.close();
    }

    @Override
    public String toString() {
        return id;
    }
}
