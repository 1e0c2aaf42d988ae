/**
 * The store gateway's engine (Thanos's {@code pkg/store/bucket.go}, {@code pkg/block/fetcher.go} and
 * {@code pkg/block/indexheader}): {@link io.thanosj.store.bucket.BucketStore} serves the StoreAPI over
 * TSDB blocks that stay in object storage. It never downloads whole index or chunk files:
 * <ul>
 *   <li>{@link io.thanosj.store.bucket.MetaFetcher} lists the bucket and loads {@code meta.json}
 *       files (cached on disk), skipping partial uploads; {@link io.thanosj.store.bucket.MetaFilter}s
 *       drop blocks by time window, relabelled external labels, consistency delay, deletion marks
 *       and duplication.</li>
 *   <li>For each block a binary index-header (Thanos's format v1: the index's symbol table and
 *       postings offset table) is built with range reads into {@code <data-dir>/<ULID>/index-header},
 *       memory-mapped on first use and unmapped when idle.</li>
 *   <li>A Series call expands postings, then reads series entries and chunks with range reads
 *       whose nearby ranges are merged by a gap partitioner, through the index cache; each block's
 *       series are streamed and merged. Chunks are decoded as their bytes arrive, so a series
 *       goes out as soon as its own chunks are in. Threads are handed work as little as possible
 *       (on a busy machine a hand-off costs milliseconds): work that no pool thread has started
 *       yet runs on the thread waiting for it ({@code OnceTask}), the calling thread takes block
 *       selections the pool has not started, the thread that made a selection goes on with its
 *       chunk reads, and small chunk ranges a caching bucket holds are decoded where they are
 *       asked for.</li>
 * </ul>
 * Limits on series, samples and bytes fail a call with {@code RESOURCE_EXHAUSTED} before the data
 * is fetched. Errors are {@link io.thanosj.model.ThanosException}s naming block, file and offset.
 * Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.store.bucket;
