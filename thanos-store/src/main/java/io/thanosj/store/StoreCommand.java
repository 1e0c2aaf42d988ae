package io.thanosj.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.cache.CachingBucket;
import io.thanosj.cache.Caches;
import io.thanosj.cache.IndexCache;
import io.thanosj.cache.IndexCaches;
import io.thanosj.model.Durations;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.server.ObjstoreFlags;
import io.thanosj.store.bucket.BucketStore;
import io.thanosj.store.bucket.BucketStoreOptions;
import io.thanosj.store.bucket.MetaFetcher;
import io.thanosj.store.bucket.MetaFilter;
import io.thanosj.store.bucket.MetaFilters;
import io.thanosj.store.bucket.RelabelConfig;
import io.thanosj.store.bucket.TimeOrDuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code thanos store}: the StoreAPI over the blocks of a bucket (Thanos's cmd/thanos/store.go).
 * Wiring only: bucket (optionally behind the caching bucket), index cache, meta fetcher with its
 * filters, and the bucket store, served over gRPC. Ready after the first successful sync.
 */
@Command(name = "store", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Store node giving access to blocks in a bucket provider. Now supported GCS, S3, Azure and filesystem.")
public final class StoreCommand extends ComponentCommand {
    private static final Logger log = LoggerFactory.getLogger(StoreCommand.class);
    private static final long INITIAL_SYNC_RETRY_MILLIS = 5_000;

    @Option(names = "--http-address", defaultValue = "0.0.0.0:10906", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10905",
            description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Mixin
    ObjstoreFlags objstore;

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Local data directory used for caching purposes (index-header, in-mem cache items and meta.jsons). If removed, no data will be lost, just store will have to rebuild the cache. NOTE: Putting raw blocks here will not cause the store to read them. For such use cases use Prometheus + sidecar.")
    String dataDir;

    @Option(names = "--cache-index-header", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Cache TSDB index-headers on disk to reduce startup time. When false, they are built in a temporary directory removed at exit.")
    boolean cacheIndexHeader;

    @Option(names = "--index-cache-size", defaultValue = "250MB",
            description = "Maximum size of items held in the in-memory index cache. Ignored if --index-cache.config or --index-cache.config-file option is specified.")
    String indexCacheSize;

    @Option(names = "--index-cache.config-file", paramLabel = "<file-path>",
            description = "Path to YAML file that contains index cache configuration (type: IN-MEMORY|MEMCACHED|REDIS).")
    String indexCacheFile;

    @Option(names = "--index-cache.config", paramLabel = "<content>",
            description = "Alternative to 'index-cache.config-file' flag (mutually exclusive). Content of YAML file that contains index cache configuration.")
    String indexCacheContent;

    @Option(names = "--store.caching-bucket.config-file", paramLabel = "<file-path>",
            description = "Path to YAML file that contains configuration for caching bucket (chunks, attributes, listings, meta files).")
    String cachingBucketFile;

    @Option(names = "--store.caching-bucket.config", paramLabel = "<content>",
            description = "Alternative to 'store.caching-bucket.config-file' flag (mutually exclusive). Content of YAML file that contains configuration for caching bucket.")
    String cachingBucketContent;

    @Option(names = "--store.limits.request-series", defaultValue = "0",
            description = "The maximum series allowed for a single Series request. The Series call fails if this limit is exceeded. 0 means no limit.")
    long requestSeries;

    @Option(names = "--store.limits.request-samples", defaultValue = "0",
            description = "The maximum samples allowed for a single Series request, The Series call fails if this limit is exceeded. 0 means no limit. NOTE: For efficiency the limit is internally implemented as 'chunks limit' considering each chunk contains a maximum of 120 samples.")
    long requestSamples;

    @Option(names = "--store.grpc.touched-series-limit", defaultValue = "0", description = "DEPRECATED: use store.limits.request-series.")
    long touchedSeriesLimit;

    @Option(names = "--store.grpc.series-sample-limit", defaultValue = "0", description = "DEPRECATED: use store.limits.request-samples.")
    long seriesSampleLimit;

    @Option(names = "--store.grpc.downloaded-bytes-limit", defaultValue = "0",
            description = "Maximum amount of downloaded (either fetched or touched) bytes in a single Series/LabelNames/LabelValues call. The Series call fails if this limit is exceeded. 0 means no limit.")
    String downloadedBytesLimit;

    @Option(names = "--store.grpc.series-max-concurrency", defaultValue = "20", description = "Maximum number of concurrent Series calls.")
    int seriesMaxConcurrency;

    @Option(names = "--sync-block-duration", defaultValue = "15m", description = "Repeat interval for syncing the blocks between local and remote view.")
    String syncBlockDuration;

    @Option(names = "--block-sync-concurrency", defaultValue = "20",
            description = "Number of goroutines to use when constructing index-cache.json blocks from object storage. Must be equal or greater than 1.")
    int blockSyncConcurrency;

    @Option(names = "--block-meta-fetch-concurrency", defaultValue = "32",
            description = "Number of goroutines to use when fetching block metadata from object storage.")
    int blockMetaFetchConcurrency;

    @Option(names = "--min-time", defaultValue = "0000-01-01T00:00:00Z",
            description = "Start of time range limit to serve. Thanos Store will serve only metrics, which happened later than this value. Option can be a constant time in RFC3339 format or time duration relative to current time, such as -1d or 2h45m. Valid duration units are ms, s, m, h, d, w, y.")
    String minTime;

    @Option(names = "--max-time", defaultValue = "9999-12-31T23:59:59Z",
            description = "End of time range limit to serve. Thanos Store will serve only blocks, which happened earlier than this value. Option can be a constant time in RFC3339 format or time duration relative to current time, such as -1d or 2h45m. Valid duration units are ms, s, m, h, d, w, y.")
    String maxTime;

    @Option(names = "--selector.relabel-config-file", paramLabel = "<file-path>",
            description = "Path to YAML file with relabeling configuration that allows selecting blocks to act on based on their external labels. It follows thanos sharding relabel-config syntax.")
    String relabelFile;

    @Option(names = "--selector.relabel-config", paramLabel = "<content>",
            description = "Alternative to 'selector.relabel-config-file' flag (mutually exclusive). Content of YAML file with relabeling configuration that allows selecting blocks to act on based on their external labels.")
    String relabelContent;

    @Option(names = "--consistency-delay", defaultValue = "0s",
            description = "Minimum age of all blocks before they are being read. Set it to safe value (e.g 30m) if your object storage is eventually consistent. GCS and S3 are (roughly) strongly consistent.")
    String consistencyDelay;

    @Option(names = "--ignore-deletion-marks-delay", defaultValue = "24h",
            description = "Duration after which the blocks marked for deletion will be filtered out while fetching blocks. Set it to (delete-delay)/2 of the compactor so that blocks marked for deletion are filtered out before being deleted from the bucket.")
    String ignoreDeletionMarksDelay;

    @Option(names = "--store.enable-index-header-lazy-reader", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "If true, Store Gateway will lazy memory map index-header only once the block is required by a query, and unmap it after the idle timeout. (Thanos defaults to false.)")
    boolean lazyIndexHeader;

    @Option(names = "--store.index-header-lazy-reader-idle-timeout", defaultValue = "5m",
            description = "If index-header lazy reader is enabled and this idle timeout setting is > 0, memory map-ed index-headers will be automatically released after 'idle timeout' inactivity.")
    String lazyIdleTimeout;

    @Option(names = "--debug.estimated-max-series-size", defaultValue = "65536", hidden = true,
            description = "Estimated max series size. Setting a value might result in over fetching data while a small value might result in data refetch.")
    int estimatedMaxSeriesSize;

    @Option(names = "--debug.estimated-max-chunk-size", defaultValue = "16000", hidden = true,
            description = "Estimated max chunk size. Setting a value might result in over fetching data while a small value might result in data refetch.")
    int estimatedMaxChunkSize;

    private volatile BucketStore store;
    private volatile Bucket bucket;

    @Override
    protected String name() {
        return "store";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    /** The bucket store once wired; for in-process tests and benchmarks. */
    public BucketStore bucketStore() {
        return store;
    }

    /** The bucket the store reads, caching bucket included, once wired; for in-process benchmarks. */
    Bucket bucket() {
        return bucket;
    }

    @Override
    protected void wire(ComponentRuntime rt) throws IOException {
        MeterRegistry reg = rt.registry();
        long syncMs = Durations.parseMillis("--sync-block-duration", syncBlockDuration);
        long deletionDelayMs = Durations.parseMillis("--ignore-deletion-marks-delay", ignoreDeletionMarksDelay);
        long consistencyMs = Durations.parseMillis("--consistency-delay", consistencyDelay);
        long idleMs = Durations.parseMillis("--store.index-header-lazy-reader-idle-timeout", lazyIdleTimeout);
        TimeOrDuration min = TimeOrDuration.parse("--min-time", minTime);
        TimeOrDuration max = TimeOrDuration.parse("--max-time", maxTime);
        RelabelConfig relabel = RelabelConfig.parse("--selector.relabel-config",
                content("--selector.relabel-config", relabelFile, relabelContent));
        if (blockMetaFetchConcurrency < 1) {
            throw ThanosException.badData("--block-meta-fetch-concurrency must be at least 1, got " + blockMetaFetchConcurrency);
        }
        if (seriesMaxConcurrency < 0) {
            throw ThanosException.badData("max concurrency value cannot be lower than 0 (got " + seriesMaxConcurrency + ")");
        }
        long bytesLimit;
        try {
            bytesLimit = Caches.parseBytes(downloadedBytesLimit);
        } catch (IllegalArgumentException e) {
            throw ThanosException.badData("invalid --store.grpc.downloaded-bytes-limit: " + e.getMessage());
        }

        Bucket bkt = objstore.bucket(reg);
        String cachingYaml = content("--store.caching-bucket.config", cachingBucketFile, cachingBucketContent);
        if (!cachingYaml.isBlank()) {
            try {
                bkt = CachingBucket.fromYaml(cachingYaml, bkt, reg);
            } catch (RuntimeException e) {
                bkt.close();
                throw e;
            }
        }
        rt.onStop(bkt);
        bucket = bkt;

        IndexCache indexCache;
        String indexYaml = content("--index-cache.config", indexCacheFile, indexCacheContent);
        if (!indexYaml.isBlank()) {
            IndexCaches.Created c = IndexCaches.create(indexYaml, reg);
            rt.onStop(c.backend());
            indexCache = c.index();
        } else {
            long size;
            try {
                size = Caches.parseBytes(indexCacheSize);
            } catch (IllegalArgumentException e) {
                throw ThanosException.badData("invalid --index-cache-size: " + e.getMessage());
            }
            indexCache = IndexCaches.inMemory(size, reg);
        }

        Path dir = Path.of(dataDir);
        if (!cacheIndexHeader) {
            dir = Files.createTempDirectory("thanosj-store-");
            Path tmp = dir;
            rt.onStop(() -> deleteTree(tmp));
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService metaPool = Executors.newFixedThreadPool(blockMetaFetchConcurrency, r -> {
            Thread t = new Thread(r, "store-meta-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        rt.onStop(metaPool::shutdownNow);
        List<MetaFilter> filters = List.of(
                MetaFilters.timePartition(min, max, System::currentTimeMillis),
                MetaFilters.labelSharded(relabel),
                MetaFilters.consistencyDelay(consistencyMs, System::currentTimeMillis),
                MetaFilters.ignoreDeletionMarks(bkt, deletionDelayMs, System::currentTimeMillis, metaPool),
                MetaFilters.deduplicate());
        MetaFetcher fetcher = new MetaFetcher(bkt, dir.resolve("meta-syncer"), filters, metaPool, reg);
        BucketStoreOptions opts;
        try {
            opts = options(dir, indexCache, bytesLimit, idleMs, min, max);
        } catch (IllegalArgumentException e) {
            throw ThanosException.badData(e.getMessage());
        }
        BucketStore bs = new BucketStore(bkt, fetcher, opts, reg);
        store = bs;
        rt.onStop(bs);

        ExecutorService pumps = io.thanosj.concurrent.Pools.cached("store-series", 2);
        rt.onStop(pumps::shutdownNow);
        rt.grpc().addInlineService(new StoreService(bs, pumps));
        rt.grpc().addInlineService(new InfoService("store", () -> {
            if (!rt.prober().isReady()) {
                throw new ThanosException(io.thanosj.model.ErrorCode.UNAVAILABLE, "store is not ready: "
                        + rt.prober().notReadyReason());
            }
            return bs.info();
        }));
        rt.prober().notReady("initial bucket sync has not completed");

        Thread initial = new Thread(() -> initialSync(rt, bs, syncMs, idleMs), "store-initial-sync");
        initial.setDaemon(true);
        initial.start();
    }

    private BucketStoreOptions options(Path dir, IndexCache indexCache, long bytesLimit, long idleMs, TimeOrDuration min,
            TimeOrDuration max) {
        return BucketStoreOptions.builder(dir)
                .indexCache(indexCache)
                .maxSeries(requestSeries > 0 ? requestSeries : touchedSeriesLimit)
                .maxSamples(requestSamples > 0 ? requestSamples : seriesSampleLimit)
                .maxBytes(bytesLimit)
                .maxConcurrency(seriesMaxConcurrency)
                .blockSyncConcurrency(blockSyncConcurrency)
                .lazyIndexHeader(lazyIndexHeader, Duration.ofMillis(idleMs))
                .estimatedMaxSeriesSize(estimatedMaxSeriesSize)
                .estimatedMaxChunkSize(estimatedMaxChunkSize)
                .timeWindow(min, max)
                .build();
    }

    /** Retries the initial sync until it succeeds, then becomes ready and syncs periodically. */
    private static void initialSync(ComponentRuntime rt, BucketStore bs, long syncMs, long idleMs) {
        long start = System.nanoTime();
        while (true) {
            try {
                bs.initialSync();
                break;
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("err", e.getMessage()).log("initial bucket sync failed; retrying");
                try {
                    Thread.sleep(INITIAL_SYNC_RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
                if (rt.scheduler().isShutdown()) {
                    return;
                }
            }
        }
        log.atInfo().addKeyValue("blocks", bs.numBlocks())
                .addKeyValue("init_duration", Duration.ofNanos(System.nanoTime() - start)).log("bucket store ready");
        rt.prober().ready();
        try {
            rt.scheduler().scheduleWithFixedDelay(() -> {
                try {
                    bs.sync();
                } catch (RuntimeException e) {
                    log.atWarn().addKeyValue("err", e.getMessage()).log("syncing blocks failed");
                }
            }, syncMs, syncMs, TimeUnit.MILLISECONDS);
            if (idleMs > 0) {
                long every = Math.max(1000, idleMs / 10);
                rt.scheduler().scheduleWithFixedDelay(bs::unloadIdleIndexHeaders, every, every, TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down.
        }
    }

    /** A {@code -file}/inline flag pair's content, "" when neither is set. */
    static String content(String flag, String file, String inline) {
        boolean hasFile = file != null && !file.isEmpty();
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasFile && hasInline) {
            throw ThanosException.badData(flag + "-file and " + flag + " are mutually exclusive");
        }
        if (hasFile) {
            try {
                return Files.readString(Path.of(file));
            } catch (NoSuchFileException e) {
                throw ThanosException.badData("read " + flag + "-file " + file + ": no such file");
            } catch (IOException e) {
                throw ThanosException.badData("read " + flag + "-file " + file + ": " + e.getMessage());
            }
        }
        return hasInline ? inline : "";
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.atWarn().addKeyValue("dir", dir).addKeyValue("err", e.toString()).log("remove temporary data dir failed");
        }
    }
}
