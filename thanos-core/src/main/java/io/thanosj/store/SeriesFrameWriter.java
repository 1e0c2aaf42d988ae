package io.thanosj.store;

import static io.thanosj.store.SeriesWire.varintSize;
import static io.thanosj.store.SeriesWire.writeVarint;

import com.google.protobuf.CodedOutputStream;
import io.thanosj.model.Labels;
import io.thanosj.proto.storepb.AggrChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes series into {@code SeriesResponse} frames, byte for byte as protobuf would: one frame per
 * series ({@code series} field), or batches of up to {@code batchSize} series ({@code batch} field).
 * Labels are encoded once per stream and copied from a cache after that; chunk columns of a
 * {@link SeriesChunks} are written directly, other chunks through protobuf's encoder.
 *
 * <p>One buffer is reused for every frame: a frame is valid until the next {@link #add}, which is
 * enough because gRPC copies a response before {@code onNext} returns. Not thread-safe.
 */
final class SeriesFrameWriter {
    /** Room before the series of a batch for its tag and length (1 + at most 5 bytes). */
    private static final int HEADER = 6;
    /** Arrays beyond this are not kept for the next frame. */
    private static final int KEEP = 4 << 20;

    private final int batchSize;
    private final LabelCache labelCache = new LabelCache();
    private byte[] buf = new byte[64 * 1024];
    private int pos = HEADER;
    private int count;
    private int[] chunkSizes = new int[16];

    /** {@code batchSize} 1 sends each series in a frame of its own. */
    SeriesFrameWriter(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** Series waiting in the current batch. */
    int pending() {
        return count;
    }

    /** True when the current batch should be sent. */
    boolean full() {
        return count >= batchSize;
    }

    /** Adds a series to the current frame; call {@link #frame} once {@link #full}. */
    void add(Labels labels, List<AggrChunk> chunks) {
        byte[][] encoded = labelCache.encode(labels);
        int size = 0;
        for (int i = 0, n = labels.size(); i < n; i++) {
            size += encoded[i].length;
        }
        int nc = chunks.size();
        if (chunkSizes.length < nc) {
            chunkSizes = new int[Math.max(nc, chunkSizes.length * 2)];
        }
        SeriesChunks sc = chunks instanceof SeriesChunks c ? c : null;
        for (int i = 0; i < nc; i++) {
            int s = sc != null && sc.plain(i) ? plainSize(sc, i) : chunks.get(i).getSerializedSize();
            chunkSizes[i] = s;
            size += 1 + varintSize(s) + s;
        }
        ensure(1 + 5 + size);
        byte[] b = buf;
        int p = pos;
        // SeriesResponse.series and SeriesBatch.series share the tag (field 1, length-delimited).
        b[p++] = (byte) SeriesWire.BATCH_SERIES;
        p = writeVarint(b, p, size);
        for (int i = 0, n = labels.size(); i < n; i++) {
            byte[] e = encoded[i];
            System.arraycopy(e, 0, b, p, e.length);
            p += e.length;
        }
        for (int i = 0; i < nc; i++) {
            b[p++] = (byte) SeriesWire.SERIES_CHUNK;
            p = writeVarint(b, p, chunkSizes[i]);
            if (sc != null && sc.plain(i)) {
                p = writePlain(sc, i, b, p);
            } else {
                p = writeMessage(chunks.get(i), b, p, chunkSizes[i]);
            }
        }
        pos = p;
        count++;
    }

    /**
     * The frame of the series added since the last call (a {@code series} response when batching is
     * off, else a {@code batch}), or null when there are none; starts the next frame.
     */
    SeriesWire.Frame frame() {
        if (count == 0) {
            return null;
        }
        SeriesWire.Frame f;
        if (batchSize == 1) {
            f = new SeriesWire.Frame(buf, HEADER, pos - HEADER);
        } else {
            int len = pos - HEADER;
            int start = HEADER - 1 - varintSize(len);
            buf[start] = (byte) SeriesWire.RESPONSE_BATCH;
            writeVarint(buf, start + 1, len);
            f = new SeriesWire.Frame(buf, start, pos - start);
        }
        count = 0;
        pos = HEADER;
        return f;
    }

    /** Drops a large buffer after its frame was sent, so that one huge series does not pin it. */
    void trim() {
        if (buf.length > KEEP && count == 0) {
            buf = new byte[64 * 1024];
        }
    }

    /** A {@code warning} response. */
    static SeriesWire.Frame warning(String w) {
        byte[] u = w.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[1 + varintSize(u.length) + u.length];
        b[0] = (byte) SeriesWire.RESPONSE_WARNING;
        int p = writeVarint(b, 1, u.length);
        System.arraycopy(u, 0, b, p, u.length);
        return new SeriesWire.Frame(b, 0, b.length);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) pos + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("series response of " + want + " bytes is too large");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    /** Size of a plain chunk's AggrChunk message: defaults (zero, empty) are not written. */
    static int plainSize(SeriesChunks c, int i) {
        long min = c.minTime(i);
        long max = c.maxTime(i);
        int s = (min != 0 ? 1 + varintSize(min) : 0) + (max != 0 ? 1 + varintSize(max) : 0);
        if (c.hasRaw(i)) {
            int raw = rawSize(c, i);
            s += 1 + varintSize(raw) + raw;
        }
        return s;
    }

    private static int rawSize(SeriesChunks c, int i) {
        int type = c.rawType(i);
        int n = c.dataLength(i);
        long hash = c.rawHash(i);
        return (type != 0 ? 1 + SeriesWire.int32Size(type) : 0) + (n > 0 ? 1 + varintSize(n) + n : 0)
                + (hash != 0 ? 1 + varintSize(hash) : 0);
    }

    private static int writePlain(SeriesChunks c, int i, byte[] b, int p) {
        long min = c.minTime(i);
        long max = c.maxTime(i);
        if (min != 0) {
            b[p++] = (byte) SeriesWire.AGGR_MIN_TIME;
            p = writeVarint(b, p, min);
        }
        if (max != 0) {
            b[p++] = (byte) SeriesWire.AGGR_MAX_TIME;
            p = writeVarint(b, p, max);
        }
        if (!c.hasRaw(i)) {
            return p;
        }
        b[p++] = (byte) SeriesWire.AGGR_RAW;
        p = writeVarint(b, p, rawSize(c, i));
        int type = c.rawType(i);
        if (type != 0) {
            b[p++] = (byte) SeriesWire.CHUNK_TYPE;
            p = writeVarint(b, p, type);
        }
        int n = c.dataLength(i);
        if (n > 0) {
            b[p++] = (byte) SeriesWire.CHUNK_DATA;
            p = writeVarint(b, p, n);
            c.copyData(i, b, p);
            p += n;
        }
        long hash = c.rawHash(i);
        if (hash != 0) {
            b[p++] = (byte) SeriesWire.CHUNK_HASH;
            p = writeVarint(b, p, hash);
        }
        return p;
    }

    private static int writeMessage(AggrChunk c, byte[] b, int p, int size) {
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(b, p, size);
            c.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("encode chunk", e);
        }
        return p + size;
    }

    /**
     * Encoded {@code Label} fields (tag, length, name, value) by label, found by the identity of the
     * interned strings of {@link Labels} (a string equal but not identical only costs an entry): series of one stream share most labels, so each is encoded
     * once. Bounded; past the bound labels are encoded every time.
     */
    static final class LabelCache {
        private static final int MAX = 1 << 16;
        private String[] names = new String[1024];
        private String[] values = new String[1024];
        private byte[][] encoded = new byte[1024][];
        private int size;
        private byte[][] out = new byte[16][];

        /** The encoded fields of each label, valid until the next call. */
        byte[][] encode(Labels labels) {
            int n = labels.size();
            if (out.length < n) {
                out = new byte[Math.max(n, out.length * 2)][];
            }
            for (int i = 0; i < n; i++) {
                out[i] = get(labels.name(i), labels.value(i));
            }
            return out;
        }

        private byte[] get(String name, String value) {
            int mask = names.length - 1;
            int h = mix(name.hashCode() * 31 + value.hashCode()) & mask;
            while (true) {
                String k = names[h];
                if (k == null) {
                    break;
                }
                if (k == name && values[h] == value) {
                    return encoded[h];
                }
                h = (h + 1) & mask;
            }
            byte[] e = encodeLabel(name, value);
            if (size < MAX) {
                names[h] = name;
                values[h] = value;
                encoded[h] = e;
                if (++size * 2 > names.length) {
                    grow();
                }
            }
            return e;
        }

        private void grow() {
            String[] on = names;
            String[] ov = values;
            byte[][] oe = encoded;
            names = new String[on.length * 2];
            values = new String[on.length * 2];
            encoded = new byte[on.length * 2][];
            int mask = names.length - 1;
            for (int i = 0; i < on.length; i++) {
                if (on[i] != null) {
                    int h = mix(on[i].hashCode() * 31 + ov[i].hashCode()) & mask;
                    while (names[h] != null) {
                        h = (h + 1) & mask;
                    }
                    names[h] = on[i];
                    values[h] = ov[i];
                    encoded[h] = oe[i];
                }
            }
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        /** {@code Series.labels} field of one label: tag, length, then the Label message. */
        static byte[] encodeLabel(String name, String value) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            int body = (n.length > 0 ? 1 + varintSize(n.length) + n.length : 0)
                    + (v.length > 0 ? 1 + varintSize(v.length) + v.length : 0);
            byte[] b = new byte[1 + varintSize(body) + body];
            b[0] = (byte) SeriesWire.SERIES_LABEL;
            int p = writeVarint(b, 1, body);
            if (n.length > 0) {
                b[p++] = (byte) SeriesWire.LABEL_NAME;
                p = writeVarint(b, p, n.length);
                System.arraycopy(n, 0, b, p, n.length);
                p += n.length;
            }
            if (v.length > 0) {
                b[p++] = (byte) SeriesWire.LABEL_VALUE;
                p = writeVarint(b, p, v.length);
                System.arraycopy(v, 0, b, p, v.length);
            }
            return b;
        }
    }
}
