package io.thanosj.store.bucket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The bucket store's metrics with Thanos's names ({@code newBucketStoreMetrics}), from an injected registry. */
final class BucketStoreMetrics {
    final AtomicLong blocksLoaded = new AtomicLong();
    final Counter blockLoads;
    final Counter blockLoadFailures;
    final Counter blockDrops;
    final Counter blockDropFailures;
    final Timer blockLoadDuration;
    final DistributionSummary seriesBlocksQueried;
    final Timer seriesGetAllDuration;
    final Timer seriesMergeDuration;
    final DistributionSummary resultSeries;
    final Counter postingsFetchedBytes;
    final Counter postingsTouchedBytes;
    final Counter seriesFetchedBytes;
    final Counter seriesTouchedBytes;
    final Counter chunksFetchedBytes;
    final Counter seriesRefetches;
    final Counter chunkRefetches;
    final Counter droppedSeries;
    final Counter droppedChunks;
    final Counter droppedBytes;
    final Counter lazyLoads;
    final Counter lazyLoadFailures;
    final Counter lazyUnloads;
    final Timer indexHeaderDownloadDuration;
    final Timer indexHeaderLoadDuration;
    final AtomicLong inflightSeriesCalls = new AtomicLong();

    BucketStoreMetrics(MeterRegistry r) {
        io.micrometer.core.instrument.Gauge.builder("thanos.bucket.store.blocks.loaded", blocksLoaded, AtomicLong::get)
                .description("Number of currently loaded blocks.").register(r);
        blockLoads = Counter.builder("thanos.bucket.store.block.loads").description("Total number of remote block loading attempts.").register(r);
        blockLoadFailures = Counter.builder("thanos.bucket.store.block.load.failures")
                .description("Total number of failed remote block loading attempts.").register(r);
        blockDrops = Counter.builder("thanos.bucket.store.block.drops").description("Total number of local blocks that were dropped.").register(r);
        blockDropFailures = Counter.builder("thanos.bucket.store.block.drop.failures")
                .description("Total number of local blocks that failed to be dropped.").register(r);
        blockLoadDuration = Timer.builder("thanos.bucket.store.block.load.duration")
                .description("The total time taken to load a block in seconds.").register(r);
        seriesBlocksQueried = DistributionSummary.builder("thanos.bucket.store.series.blocks.queried")
                .description("Number of blocks in a bucket store that were touched to satisfy a query.").register(r);
        seriesGetAllDuration = Timer.builder("thanos.bucket.store.series.get.all.duration")
                .description("Time it takes until all per-block prepares and loads for a query are finished.")
                .serviceLevelObjectives(slos()).register(r);
        seriesMergeDuration = Timer.builder("thanos.bucket.store.series.merge.duration")
                .description("Time it takes to merge sub-results from all queried blocks into a single result.")
                .serviceLevelObjectives(slos()).register(r);
        resultSeries = DistributionSummary.builder("thanos.bucket.store.series.result.series")
                .description("Number of series observed in the final result of a query after merging identical series from different blocks.")
                .register(r);
        postingsFetchedBytes = dataBytes(r, "postings", "fetched");
        postingsTouchedBytes = dataBytes(r, "postings", "touched");
        seriesFetchedBytes = dataBytes(r, "series", "fetched");
        seriesTouchedBytes = dataBytes(r, "series", "touched");
        chunksFetchedBytes = dataBytes(r, "chunks", "fetched");
        seriesRefetches = Counter.builder("thanos.bucket.store.series.refetches")
                .description("Total number of cases where configured estimated series bytes was not enough was to fetch series from index, resulting in refetch.")
                .register(r);
        chunkRefetches = Counter.builder("thanos.bucket.store.chunk.refetches")
                .description("Total number of cases where configured estimated chunk bytes was not enough was to fetch chunks from object store, resulting in refetch.")
                .register(r);
        droppedSeries = dropped(r, "series");
        droppedChunks = dropped(r, "chunks");
        droppedBytes = dropped(r, "bytes");
        lazyLoads = Counter.builder("thanos.bucket.store.indexheader.lazy.load")
                .description("Total number of index-header lazy load operations.").register(r);
        lazyLoadFailures = Counter.builder("thanos.bucket.store.indexheader.lazy.load.failed")
                .description("Total number of failed index-header lazy load operations.").register(r);
        lazyUnloads = Counter.builder("thanos.bucket.store.indexheader.lazy.unload")
                .description("Total number of index-header lazy unload operations.").register(r);
        indexHeaderDownloadDuration = Timer.builder("thanos.bucket.store.indexheader.download.duration")
                .description("Duration of the index-header download from objstore in seconds.").register(r);
        indexHeaderLoadDuration = Timer.builder("thanos.bucket.store.indexheader.load.duration")
                .description("Duration of the index-header loading in seconds.").register(r);
        io.micrometer.core.instrument.Gauge.builder("thanos.bucket.store.series.gate.queries.in.flight", inflightSeriesCalls, AtomicLong::get)
                .description("Number of Series calls currently running.").register(r);
    }

    private static Duration[] slos() {
        return new Duration[] {Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    }

    private static Counter dataBytes(MeterRegistry r, String type, String how) {
        return Counter.builder("thanos.bucket.store.series.data.size." + how + ".bytes").tag("data_type", type)
                .description("Bytes of " + type + " " + how + " to satisfy Series calls.").register(r);
    }

    private static Counter dropped(MeterRegistry r, String reason) {
        return Counter.builder("thanos.bucket.store.queries.dropped").tag("reason", reason)
                .description("Number of queries that were dropped due to the limit.").register(r);
    }
}
