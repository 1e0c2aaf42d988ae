package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.List;

/**
 * A pull cursor over series sorted by labels, each with its chunks. Like Prometheus's iterators it
 * has no separate "has next": {@link #next()} advances and {@link #labels()} / {@link #chunks()}
 * describe the current series until the next call. Failures are thrown from {@code next()} as
 * {@link io.thanosj.model.ThanosException}. The labels and chunk list returned are immutable and
 * stay valid after the cursor moves on, so merges can hold them without copying. Not thread-safe.
 */
public interface SeriesSet extends AutoCloseable {
    /** Advances to the next series; false at the end. */
    boolean next();

    /** Labels of the current series. */
    Labels labels();

    /** Chunks of the current series, preferably sorted by min time; may be empty (skip_chunks). */
    List<AggrChunk> chunks();

    /**
     * Warnings collected so far (e.g. stores that failed under partial response); complete once
     * {@link #next()} returned false.
     */
    List<String> warnings();

    /** Releases the source (cancels a remote stream). Idempotent. */
    @Override
    void close();

    static SeriesSet empty() {
        return SeriesSets.of(List.of());
    }
}
