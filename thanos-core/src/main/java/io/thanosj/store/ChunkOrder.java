package io.thanosj.store;

import com.google.protobuf.ByteString;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import java.util.ArrayList;
import java.util.List;

/** Ordering and de-duplication of the chunks of one series gathered from several stores. */
final class ChunkOrder {
    private ChunkOrder() {}

    /** By min time, max time, then content; 0 only for identical chunks. */
    static int compare(AggrChunk a, AggrChunk b) {
        int c = Long.compare(a.getMinTime(), b.getMinTime());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.getMaxTime(), b.getMaxTime());
        if (c != 0) {
            return c;
        }
        c = compare(a.hasRaw() ? a.getRaw() : null, b.hasRaw() ? b.getRaw() : null);
        if (c == 0) {
            c = compare(a.hasCount() ? a.getCount() : null, b.hasCount() ? b.getCount() : null);
        }
        if (c == 0) {
            c = compare(a.hasSum() ? a.getSum() : null, b.hasSum() ? b.getSum() : null);
        }
        if (c == 0) {
            c = compare(a.hasMin() ? a.getMin() : null, b.hasMin() ? b.getMin() : null);
        }
        if (c == 0) {
            c = compare(a.hasMax() ? a.getMax() : null, b.hasMax() ? b.getMax() : null);
        }
        if (c == 0) {
            c = compare(a.hasCounter() ? a.getCounter() : null, b.hasCounter() ? b.getCounter() : null);
        }
        return c;
    }

    private static int compare(Chunk a, Chunk b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        int c = Integer.compare(a.getTypeValue(), b.getTypeValue());
        if (c != 0) {
            return c;
        }
        // The hash is not compared: one store may send it and another not for the same bytes.
        return ByteString.unsignedLexicographicalComparator().compare(a.getData(), b.getData());
    }

    /** Sorts by {@link #compare} and drops exact duplicates (the same chunk from two stores). */
    static List<AggrChunk> sortUnique(List<AggrChunk> chunks) {
        List<AggrChunk> sorted = new ArrayList<>(chunks);
        sorted.sort(ChunkOrder::compare);
        int w = 0;
        for (int r = 0; r < sorted.size(); r++) {
            if (w == 0 || compare(sorted.get(w - 1), sorted.get(r)) != 0) {
                sorted.set(w++, sorted.get(r));
            }
        }
        return w == sorted.size() ? sorted : new ArrayList<>(sorted.subList(0, w));
    }

    /** Samples in a chunk: XOR and histogram chunks start with a big-endian uint16 count. */
    static int samples(Chunk c) {
        ByteString d = c.getData();
        return d.size() < 2 ? 0 : (d.byteAt(0) & 0xff) << 8 | (d.byteAt(1) & 0xff);
    }

    /** Samples of an aggregate chunk: raw if present, otherwise its largest aggregate. */
    static int samples(AggrChunk a) {
        if (a.hasRaw()) {
            return samples(a.getRaw());
        }
        int n = 0;
        if (a.hasCount()) {
            n = Math.max(n, samples(a.getCount()));
        }
        if (a.hasSum()) {
            n = Math.max(n, samples(a.getSum()));
        }
        if (a.hasMin()) {
            n = Math.max(n, samples(a.getMin()));
        }
        if (a.hasMax()) {
            n = Math.max(n, samples(a.getMax()));
        }
        if (a.hasCounter()) {
            n = Math.max(n, samples(a.getCounter()));
        }
        return n;
    }
}
