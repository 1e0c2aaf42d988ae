package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.XorChunk;
import java.nio.ByteBuffer;
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

    /**
     * The data bytes of {@link #chunk}{@code (i)}, read-only, in place where the block allows it (a
     * view of the mapped segment file rather than a copy); valid while the block is open.
     */
    default ByteBuffer chunkData(int i) {
        XorChunk c = chunk(i);
        return ByteBuffer.wrap(c.array(), c.offset(), c.length()).asReadOnlyBuffer();
    }

    /** Samples in the selected range without deleted ones; the iterator is reused per series. */
    SampleIterator samples();
}
