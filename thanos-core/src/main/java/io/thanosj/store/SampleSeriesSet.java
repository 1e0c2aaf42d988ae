package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import java.util.List;

/**
 * A cursor over series with their samples decoded, as deduplication produces them; the querier
 * adapts it to the PromQL engine's series set. The iterator is valid until the next
 * {@link #next()}. Not thread-safe.
 */
public interface SampleSeriesSet extends AutoCloseable {
    boolean next();

    Labels labels();

    /** A fresh iterator over the current series' samples. */
    SampleIterator iterator();

    /** Warnings of the underlying Series call (complete once {@link #next()} returned false). */
    List<String> warnings();

    @Override
    void close();
}
