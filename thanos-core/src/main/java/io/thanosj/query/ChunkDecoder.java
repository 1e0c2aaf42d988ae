package io.thanosj.query;

import com.google.protobuf.ByteString;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.store.SeriesChunks;
import io.thanosj.tsdb.chunk.XorChunk;
import java.util.List;

/**
 * Opens the chunks of one series one at a time as sample iterators, in a {@link ChunkView}: a
 * chunk with raw data as its samples, a downsampled chunk (aggregates only) as the view's
 * aggregate. Only one chunk is open at a time: each {@link #open} reuses the iterators and
 * scratch bytes of the last one. Chunks that come as {@link SeriesChunks} columns are decoded
 * where they lie, others are copied out of their message.
 */
final class ChunkDecoder {
    private final List<AggrChunk> chunks;
    private final SeriesChunks columns; // chunks as columns, or null
    private final ChunkView view;
    private final Labels series; // for messages; null when unknown
    private SampleIterator xor;  // reused for raw chunks and single aggregates
    private AverageIterator avg; // reused for count and sum
    private byte[] buf;
    private byte[] buf2;

    ChunkDecoder(List<AggrChunk> chunks, ChunkView view, Labels series) {
        this.chunks = chunks;
        this.columns = chunks instanceof SeriesChunks c ? c : null;
        this.view = view;
        this.series = series;
    }

    int size() {
        return chunks.size();
    }

    long maxTime(int i) {
        return columns != null ? columns.maxTime(i) : chunks.get(i).getMaxTime();
    }

    /** Chunk {@code i} as samples; the iterator returned by the previous call is no longer valid. */
    SampleIterator open(int i) {
        SeriesChunks c = columns;
        if (c != null && c.plain(i)) {
            if (!c.hasRaw(i)) {
                throw missing(c.minTime(i), c.maxTime(i));
            }
            if (c.rawType(i) != SeriesChunks.XOR) {
                throw unsupported("raw", Chunk.Encoding.forNumber(c.rawType(i)), c.rawType(i), c.minTime(i), c.maxTime(i));
            }
            int n = c.dataLength(i);
            byte[] a = c.dataArray(i);
            if (a != null) {
                return xor = XorChunk.wrap(a, c.dataOffset(i), n).iterator(xor);
            }
            c.copyData(i, buf = scratch(buf, n), 0);
            return xor = XorChunk.wrap(buf, 0, n).iterator(xor);
        }
        AggrChunk ac = chunks.get(i);
        if (ac.hasRaw()) {
            return xor = xorChunk(ac, ac.getRaw(), "raw", true).iterator(xor);
        }
        Chunk one = switch (view) {
            case AVERAGE -> null;
            case COUNT -> ac.hasCount() ? ac.getCount() : null;
            case SUM -> ac.hasSum() ? ac.getSum() : null;
            case MIN -> ac.hasMin() ? ac.getMin() : null;
            case MAX -> ac.hasMax() ? ac.getMax() : null;
            case COUNTER -> ac.hasCounter() ? ac.getCounter() : null;
        };
        if (one != null) {
            return xor = xorChunk(ac, one, view.describe(), true).iterator(xor);
        }
        if (view != ChunkView.AVERAGE || !ac.hasCount() || !ac.hasSum()) {
            throw missing(ac.getMinTime(), ac.getMaxTime());
        }
        SampleIterator count = xorChunk(ac, ac.getCount(), "count", true).iterator(avg == null ? null : avg.count());
        SampleIterator sum = xorChunk(ac, ac.getSum(), "sum", false).iterator(avg == null ? null : avg.sum());
        if (avg == null) {
            avg = new AverageIterator();
        }
        return avg.reset(count, sum, this, ac.getMinTime(), ac.getMaxTime());
    }

    /** The chunk's bytes wrapped for decoding, copied to the first or the second scratch array. */
    private XorChunk xorChunk(AggrChunk ac, Chunk c, String what, boolean first) {
        if (c.getType() != Chunk.Encoding.XOR) {
            throw unsupported(what, c.getType(), c.getTypeValue(), ac.getMinTime(), ac.getMaxTime());
        }
        ByteString data = c.getData();
        int n = data.size();
        byte[] dst = first ? (buf = scratch(buf, n)) : (buf2 = scratch(buf2, n));
        data.copyTo(dst, 0);
        return XorChunk.wrap(dst, 0, n);
    }

    private static byte[] scratch(byte[] b, int n) {
        if (b == null || n > b.length) {
            return new byte[Math.max(n, b == null ? 256 : b.length * 2)];
        }
        return b;
    }

    String where(long mint, long maxt) {
        return "decode series" + (series == null ? "" : " " + series) + ": chunk [" + mint + ", " + maxt + "]";
    }

    private ThanosException missing(long mint, long maxt) {
        return new ThanosException(ErrorCode.EXECUTION, where(mint, maxt) + " has no raw data and no " + view.describe()
                + " aggregate; the store did not send the aggregates the query asked for ("
                + view.aggregates().stream().map(a -> a.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    private ThanosException unsupported(String what, Chunk.Encoding e, int value, long mint, long maxt) {
        return new ThanosException(ErrorCode.EXECUTION, where(mint, maxt) + ": unsupported " + what + " chunk encoding "
                + (e == null ? String.valueOf(value) : e.toString()));
    }
}
