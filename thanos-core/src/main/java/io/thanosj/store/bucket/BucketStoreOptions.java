package io.thanosj.store.bucket;

import io.thanosj.cache.IndexCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link BucketStore}, checked when built (Thanos's {@code BucketStoreOption}s and
 * store flags). Limits of zero mean unlimited.
 */
public final class BucketStoreOptions {
    /** Thanos's {@code MaxSamplesPerChunk}: the samples limit is enforced as a chunks limit. */
    public static final int MAX_SAMPLES_PER_CHUNK = 120;

    final Path dataDir;
    final IndexCache indexCache;
    final long maxSeries;
    final long maxSamples;
    final long maxBytes;
    final int maxConcurrency;
    final int blockSyncConcurrency;
    final boolean lazyIndexHeader;
    final Duration indexHeaderIdleTimeout;
    final long maxGap;
    final int estimatedMaxSeriesSize;
    final int estimatedMaxChunkSize;
    final TimeOrDuration minTime;
    final TimeOrDuration maxTime;
    final LongSupplier clockMillis;

    private BucketStoreOptions(Builder b) {
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.indexCache = b.indexCache;
        this.maxSeries = b.maxSeries;
        this.maxSamples = b.maxSamples;
        this.maxBytes = b.maxBytes;
        this.maxConcurrency = b.maxConcurrency;
        this.blockSyncConcurrency = b.blockSyncConcurrency;
        this.lazyIndexHeader = b.lazyIndexHeader;
        this.indexHeaderIdleTimeout = b.indexHeaderIdleTimeout;
        this.maxGap = b.maxGap;
        this.estimatedMaxSeriesSize = b.estimatedMaxSeriesSize;
        this.estimatedMaxChunkSize = b.estimatedMaxChunkSize;
        this.minTime = b.minTime;
        this.maxTime = b.maxTime;
        this.clockMillis = b.clockMillis;
    }

    /** {@code dataDir} holds the index-headers, one directory per block. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The chunks limit derived from the samples limit (at least one chunk when set). */
    long maxChunks() {
        return maxSamples == 0 ? 0 : Math.max(1, maxSamples / MAX_SAMPLES_PER_CHUNK);
    }

    public static final class Builder {
        private final Path dataDir;
        private IndexCache indexCache = IndexCache.NOOP;
        private long maxSeries;
        private long maxSamples;
        private long maxBytes;
        private int maxConcurrency = 20;
        private int blockSyncConcurrency = 20;
        private boolean lazyIndexHeader = true;
        private Duration indexHeaderIdleTimeout = Duration.ofMinutes(5);
        private long maxGap = GapPartitioner.DEFAULT_MAX_GAP;
        private int estimatedMaxSeriesSize = 64 * 1024;
        private int estimatedMaxChunkSize = 16_000;
        private TimeOrDuration minTime = TimeOrDuration.MIN;
        private TimeOrDuration maxTime = TimeOrDuration.MAX;
        private LongSupplier clockMillis = System::currentTimeMillis;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        public Builder indexCache(IndexCache c) {
            this.indexCache = Objects.requireNonNull(c, "indexCache");
            return this;
        }

        /** {@code --store.limits.request-series}. */
        public Builder maxSeries(long n) {
            this.maxSeries = nonNegative("series limit", n);
            return this;
        }

        /** {@code --store.limits.request-samples}, enforced as chunks of 120 samples, as in Thanos. */
        public Builder maxSamples(long n) {
            this.maxSamples = nonNegative("samples limit", n);
            return this;
        }

        /** {@code --store.grpc.downloaded-bytes-limit}: bytes read from the bucket or cache per call. */
        public Builder maxBytes(long n) {
            this.maxBytes = nonNegative("downloaded bytes limit", n);
            return this;
        }

        /** {@code --store.grpc.series-max-concurrency}; 0 means unlimited. */
        public Builder maxConcurrency(int n) {
            this.maxConcurrency = (int) nonNegative("series max concurrency", n);
            return this;
        }

        /** {@code --block-sync-concurrency}: blocks prepared in parallel. */
        public Builder blockSyncConcurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("the block sync concurrency must be equal or greater than 1, got " + n);
            }
            this.blockSyncConcurrency = n;
            return this;
        }

        /** Map index-headers on first use and unmap after {@code idleTimeout} (zero: never unmap). */
        public Builder lazyIndexHeader(boolean lazy, Duration idleTimeout) {
            if (idleTimeout.isNegative()) {
                throw new IllegalArgumentException("index-header idle timeout must not be negative: " + idleTimeout);
            }
            this.lazyIndexHeader = lazy;
            this.indexHeaderIdleTimeout = idleTimeout;
            return this;
        }

        /** Largest gap between byte ranges merged into one read. */
        public Builder maxGap(long bytes) {
            this.maxGap = nonNegative("partitioner max gap", bytes);
            return this;
        }

        public Builder estimatedMaxSeriesSize(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("estimated max series size must be at least 16 bytes, got " + bytes);
            }
            this.estimatedMaxSeriesSize = bytes;
            return this;
        }

        public Builder estimatedMaxChunkSize(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("estimated max chunk size must be at least 16 bytes, got " + bytes);
            }
            this.estimatedMaxChunkSize = bytes;
            return this;
        }

        /** {@code --min-time} and {@code --max-time}. */
        public Builder timeWindow(TimeOrDuration min, TimeOrDuration max) {
            this.minTime = Objects.requireNonNull(min, "min");
            this.maxTime = Objects.requireNonNull(max, "max");
            return this;
        }

        public Builder clock(LongSupplier millis) {
            this.clockMillis = Objects.requireNonNull(millis, "clock");
            return this;
        }

        public BucketStoreOptions build() {
            long now = clockMillis.getAsLong();
            if (minTime.millis(now) > maxTime.millis(now)) {
                throw new IllegalArgumentException("invalid argument: --min-time '" + minTime + "' can't be greater than --max-time '"
                        + maxTime + "'");
            }
            return new BucketStoreOptions(this);
        }

        private static long nonNegative(String what, long n) {
            if (n < 0) {
                throw new IllegalArgumentException(what + " must not be negative, got " + n);
            }
            return n;
        }
    }
}
