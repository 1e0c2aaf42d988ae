package io.thanosj.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A byte-valued cache keyed by strings, Thanos's {@code cache.Cache}. Fetches return only the
 * hits; stores are best effort and may complete after the call returns. A failing backend reads
 * as a miss and drops stores (counted in its metrics), so callers never handle cache errors.
 * Implementations are thread-safe.
 */
public interface Cache extends AutoCloseable {
    /** The values found for {@code keys}; misses are absent. Values must not be modified. */
    Map<String, byte[]> fetch(List<String> keys);

    /** Stores {@code value} under {@code key}; {@code ttl} zero or negative means no expiry. */
    void store(String key, byte[] value, Duration ttl);

    /** The name used as the {@code name} label of metrics ("index-cache", "caching-bucket"). */
    String name();

    /** Releases connections and threads; stores still queued may be dropped. */
    @Override
    void close();
}
