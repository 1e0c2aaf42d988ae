package io.thanosj.tsdb.index;

import io.thanosj.model.Labels;
import io.thanosj.tsdb.chunk.ChunkMetas;

/**
 * Series in label order with their chunk metadata. {@link #chunks} is reused for the next series;
 * copy what must outlive a call to {@link #next}.
 */
public interface SeriesCursor {
    boolean next();

    /** The series reference in the index. */
    long ref();

    Labels labels();

    ChunkMetas chunks();
}
