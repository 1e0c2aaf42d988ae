package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.XorChunk;
import java.util.List;

/**
 * Series of a block in label order. Per series, samples come either decoded ({@link #samples}, limited
 * to the selected range, deleted ranges removed) or as chunks ({@link #chunk}, whole chunks overlapping
 * the range, re-encoded only when a tombstone touches them). Objects returned are reused by the next
 * call to {@link #next}.
 */
public interface BlockSeriesSet {
    boolean next();

    /** The series reference in the block's index. */
    long ref();

    Labels labels();

    /** Metadata of the chunks overlapping the selected range. */
    ChunkMetas chunkMetas();

    /** Deleted intervals of this series; empty when none. */
    List<Interval> deleted();

    /** Chunk {@code i} of {@link #chunkMetas}, without deleted samples. */
    XorChunk chunk(int i);

    /** Samples in the selected range without deleted ones; the iterator is reused per series. */
    SampleIterator samples();
}
