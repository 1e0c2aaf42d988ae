package io.thanosj.store.bucket;

import io.micrometer.core.instrument.Counter;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits of one Series call, shared by all blocks it reads (Thanos's series, chunks and bytes
 * limiters). Each is reserved before the work it pays for: series once their entries are
 * decoded, chunks before they are fetched, bytes before each range read, so a call that would
 * exceed a limit fails without reading the data. Zero means unlimited.
 */
final class QueryLimits {
    private final long maxSeries;
    private final long maxChunks;
    private final long maxBytes;
    private final AtomicLong series = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final BucketStoreMetrics metrics;

    QueryLimits(long maxSeries, long maxChunks, long maxBytes, BucketStoreMetrics metrics) {
        this.maxSeries = maxSeries;
        this.maxChunks = maxChunks;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    void reserveSeries(long n) {
        reserve(series, n, maxSeries, "series", "", metrics.droppedSeries);
    }

    void reserveChunks(long n) {
        reserve(chunks, n, maxChunks, "chunks", "", metrics.droppedChunks);
    }

    /** {@code what}: "postings", "series" or "chunks", for the message. */
    void reserveBytes(long n, String what) {
        reserve(bytes, n, maxBytes, "bytes", " while fetching " + what, metrics.droppedBytes);
    }

    long bytes() {
        return bytes.get();
    }

    private static void reserve(AtomicLong used, long n, long max, String what, String during, Counter dropped) {
        long got = used.addAndGet(n);
        if (max > 0 && got > max) {
            dropped.increment();
            throw new ThanosException(ErrorCode.RESOURCE_EXHAUSTED, "select series: exceeded " + what + " limit" + during
                    + ": limit " + max + " violated (got " + got + ")");
        }
    }
}
