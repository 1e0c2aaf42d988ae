/**
 * Caches for the store gateway, configured with Thanos's YAML ({@code type: IN-MEMORY | MEMCACHED |
 * REDIS}, {@code config: ...}): one narrow byte-valued {@link io.thanosj.cache.Cache} with an
 * in-memory (Caffeine, bounded by bytes), a memcached (spymemcached) and a Redis (Jedis) backend;
 * the {@link io.thanosj.cache.IndexCache} of postings and series built on it; and a
 * {@link io.thanosj.cache.CachingBucket} that caches chunk sub-ranges, object attributes, block
 * listings and meta files in front of any {@link io.thanosj.objstore.Bucket}.
 *
 * <p>A cache is an optimisation: backend failures are logged and counted, and read as misses;
 * they never fail a query. Configuration errors are {@link io.thanosj.model.ThanosException}s with
 * {@code BAD_DATA}, naming the field. Metrics use Thanos's names. Nothing here accepts or returns
 * null unless a method says so.
 */
package io.thanosj.cache;
