package io.thanosj.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Utf8Order;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Series;
import io.thanosj.proto.storepb.SeriesResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes {@code SeriesResponse} bytes as protobuf's parser would, without building messages: a
 * series becomes {@link Labels} (label strings interned through a cache keyed by their bytes, so a
 * label seen before costs a hash and a compare) and a {@link SeriesChunks} whose columns point into
 * the response's array (chunk data is never copied). A response is read in one pass when it holds
 * exactly one field, as every StoreAPI server sends; anything else (several fields, which protobuf
 * merges) goes through the generated parser.
 *
 * <p>Malformed input raises {@link InvalidProtocolBufferException} where protobuf's parser would:
 * truncated or overlong varints and lengths, invalid tags and wire types, unbalanced groups and
 * strings that are not UTF-8. Unknown fields are skipped. One reader per stream; not thread-safe.
 */
final class SeriesFrameReader {
    static final int PLAIN = 1;
    static final int RAW = 2;
    private static final int MAX_GROUP_DEPTH = 100;

    /** One decoded response: {@code count} series, or a warning, or neither (hints, empty). */
    static final class Decoded {
        static final Decoded NOTHING = new Decoded(new Labels[0], List.of(), 0, null);

        final Labels[] labels;
        final List<List<AggrChunk>> chunks;
        final int count;
        final String warning;

        Decoded(Labels[] labels, List<List<AggrChunk>> chunks, int count, String warning) {
            this.labels = labels;
            this.chunks = chunks;
            this.count = count;
            this.warning = warning;
        }
    }

    private final LabelsBuilder lb = new LabelsBuilder();
    private final Interner interner = new Interner();
    private final Interner labelInterner = new Interner();

    private byte[] b;
    private int p;

    // Columns of the frame being decoded; fresh arrays per frame, since its chunk lists keep them.
    private int nc;
    private long[] min;
    private long[] max;
    private long[] hash;
    private int[] dataOff;
    private int[] dataLen;
    private int[] type;
    private byte[] flags;
    private AggrChunk[] whole; // chunks that are not plain, parsed by protobuf; null while there are none

    private int ns;
    private Labels[] seriesLabels;
    private int[] seriesFrom;

    Decoded read(byte[] frame) throws InvalidProtocolBufferException {
        b = frame;
        p = 0;
        int end = frame.length;
        int fields = 0;
        int tag = 0;
        int bodyStart = 0;
        int bodyEnd = 0;
        while (p < end) {
            int t = readTag(end);
            if (t == SeriesWire.RESPONSE_SERIES || t == SeriesWire.RESPONSE_WARNING || t == SeriesWire.RESPONSE_BATCH
                    || t == SeriesWire.RESPONSE_HINTS) {
                int len = readLength(end);
                tag = t;
                bodyStart = p;
                bodyEnd = p + len;
                p = bodyEnd;
                fields++;
            } else {
                skipField(t, end, 0);
                fields += 2; // protobuf keeps unknown fields: leave such responses to it
            }
        }
        if (fields == 0) {
            return Decoded.NOTHING;
        }
        if (fields > 1) {
            return generic(frame);
        }
        switch (tag) {
            case SeriesWire.RESPONSE_WARNING:
                return new Decoded(new Labels[0], List.of(), 0, string(bodyStart, bodyEnd - bodyStart));
            case SeriesWire.RESPONSE_HINTS:
                // Nothing here uses hints, but protobuf would reject malformed ones.
                com.google.protobuf.Any.parser().parseFrom(frame, bodyStart, bodyEnd - bodyStart);
                return Decoded.NOTHING;
            case SeriesWire.RESPONSE_SERIES:
                start(1, 16);
                p = bodyStart;
                series(bodyEnd);
                return finish();
            default: // batch
                start(64, 256);
                p = bodyStart;
                while (p < bodyEnd) {
                    int t = readTag(bodyEnd);
                    if (t == SeriesWire.BATCH_SERIES) {
                        int len = readLength(bodyEnd);
                        int e = p + len;
                        series(e);
                        p = e;
                    } else {
                        skipField(t, bodyEnd, 0);
                    }
                }
                return finish();
        }
    }

    private void start(int series, int chunks) {
        ns = 0;
        nc = 0;
        seriesLabels = new Labels[series];
        seriesFrom = new int[series + 1];
        whole = null;
        min = new long[chunks];
        max = new long[chunks];
        hash = new long[chunks];
        dataOff = new int[chunks];
        dataLen = new int[chunks];
        type = new int[chunks];
        flags = new byte[chunks];
    }

    private Decoded finish() {
        Columns cols = new Columns(b, min, max, hash, dataOff, dataLen, type, flags, whole);
        Labels[] ls = ns == seriesLabels.length ? seriesLabels : Arrays.copyOf(seriesLabels, ns);
        @SuppressWarnings("unchecked")
        List<AggrChunk>[] cs = new List[ns];
        for (int i = 0; i < ns; i++) {
            int from = seriesFrom[i];
            int n = seriesFrom[i + 1] - from;
            cs[i] = n == 0 ? List.of() : new WireChunks(cols, from, n);
        }
        b = null;
        return new Decoded(ls, Arrays.asList(cs), ns, null);
    }

    /** One Series message ending at {@code end}. */
    private void series(int end) throws InvalidProtocolBufferException {
        if (ns + 1 >= seriesFrom.length) {
            seriesLabels = Arrays.copyOf(seriesLabels, seriesLabels.length * 2);
            seriesFrom = Arrays.copyOf(seriesFrom, seriesLabels.length + 1);
        }
        seriesFrom[ns] = nc;
        lb.reset();
        while (p < end) {
            int t = readTag(end);
            if (t == SeriesWire.SERIES_LABEL) {
                int len = readLength(end);
                label(p + len);
            } else if (t == SeriesWire.SERIES_CHUNK) {
                int len = readLength(end);
                aggrChunk(p + len);
            } else {
                skipField(t, end, 0);
            }
        }
        seriesLabels[ns] = lb.build();
        seriesFrom[++ns] = nc;
    }

    /**
     * One Label message ending at {@code end}. Series of a stream repeat most of their labels, so
     * whole Label messages are looked up by their bytes first: equal bytes decode to equal labels
     * (and were checked when first seen), so a label seen before costs one hash and one compare.
     */
    private void label(int end) throws InvalidProtocolBufferException {
        int start = p;
        int len = end - start;
        String name;
        String value;
        int slot = labelInterner.find(b, start, len);
        if (slot >= 0) {
            name = labelInterner.first(slot);
            value = labelInterner.second(slot);
            p = end;
        } else {
            name = "";
            value = "";
            while (p < end) {
                int t = readTag(end);
                if (t == SeriesWire.LABEL_NAME) {
                    int n = readLength(end);
                    name = interned(p, n);
                    p += n;
                } else if (t == SeriesWire.LABEL_VALUE) {
                    int n = readLength(end);
                    value = interned(p, n);
                    p += n;
                } else {
                    skipField(t, end, 0);
                }
            }
            labelInterner.put(b, start, len, name, value);
        }
        // LabelsBuilder.add without its lookups: both strings come from the interner.
        String last = lb.lastName();
        if (last == null || Utf8Order.compare(last, name) < 0) {
            lb.appendInterned(name, value);
        } else {
            lb.add(name, value);
        }
    }

    private void aggrChunk(int end) throws InvalidProtocolBufferException {
        if (nc == min.length) {
            growChunks();
        }
        int i = nc;
        int msgOff = p;
        long mint = 0;
        long maxt = 0;
        int f = PLAIN;
        while (p < end) {
            int t = readTag(end);
            switch (t) {
                case SeriesWire.AGGR_MIN_TIME -> mint = readVarint64(end);
                case SeriesWire.AGGR_MAX_TIME -> maxt = readVarint64(end);
                case SeriesWire.AGGR_RAW -> {
                    int len = readLength(end);
                    if ((f & RAW) != 0) {
                        f &= ~PLAIN; // a repeated message field merges: leave it to protobuf
                    }
                    f |= RAW;
                    if (!rawChunk(i, p + len)) {
                        f &= ~PLAIN;
                    }
                }
                default -> {
                    f &= ~PLAIN; // aggregates and unknown fields
                    skipField(t, end, 0);
                }
            }
        }
        min[i] = mint;
        max[i] = maxt;
        flags[i] = (byte) f;
        if ((f & PLAIN) == 0) {
            // Rare (downsampled aggregates): protobuf parses it now, so it checks what it would check.
            if (whole == null) {
                whole = new AggrChunk[min.length];
            }
            whole[i] = parseWhole(b, msgOff, end - msgOff);
        }
        nc++;
    }

    /** Reads a raw Chunk into column {@code i}; false when it has fields the columns cannot hold. */
    private boolean rawChunk(int i, int end) throws InvalidProtocolBufferException {
        int ty = 0;
        int off = 0;
        int len = 0;
        long h = 0;
        boolean plain = true;
        while (p < end) {
            int t = readTag(end);
            switch (t) {
                case SeriesWire.CHUNK_TYPE -> ty = (int) readVarint64(end);
                case SeriesWire.CHUNK_DATA -> {
                    len = readLength(end);
                    off = p;
                    p += len;
                }
                case SeriesWire.CHUNK_HASH -> h = readVarint64(end);
                default -> {
                    plain = false;
                    skipField(t, end, 0);
                }
            }
        }
        type[i] = ty;
        dataOff[i] = off;
        dataLen[i] = len;
        hash[i] = h;
        return plain;
    }

    private static AggrChunk parseWhole(byte[] b, int off, int len) throws InvalidProtocolBufferException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(b, off, len);
            in.enableAliasing(true);
            AggrChunk c = AggrChunk.parseFrom(in);
            in.checkLastTagWas(0);
            return c;
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private void growChunks() {
        int n = min.length * 2;
        if (whole != null) {
            whole = Arrays.copyOf(whole, n);
        }
        min = Arrays.copyOf(min, n);
        max = Arrays.copyOf(max, n);
        hash = Arrays.copyOf(hash, n);
        dataOff = Arrays.copyOf(dataOff, n);
        dataLen = Arrays.copyOf(dataLen, n);
        type = Arrays.copyOf(type, n);
        flags = Arrays.copyOf(flags, n);
    }

    /** Responses with several fields: protobuf's parser, then the same conversion. */
    private Decoded generic(byte[] frame) throws InvalidProtocolBufferException {
        b = null;
        CodedInputStream in = CodedInputStream.newInstance(frame);
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        SeriesResponse r;
        try {
            r = SeriesResponse.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        switch (r.getResultCase()) {
            case SERIES:
                return fromProto(List.of(r.getSeries()));
            case BATCH:
                return fromProto(r.getBatch().getSeriesList());
            case WARNING:
                return new Decoded(new Labels[0], List.of(), 0, r.getWarning());
            default:
                return Decoded.NOTHING;
        }
    }

    private Decoded fromProto(List<Series> series) {
        Labels[] ls = new Labels[series.size()];
        @SuppressWarnings("unchecked")
        List<AggrChunk>[] cs = new List[series.size()];
        for (int i = 0; i < ls.length; i++) {
            ls[i] = ProtoLabels.fromProto(series.get(i).getLabelsList(), lb);
            cs[i] = series.get(i).getChunksList();
        }
        return new Decoded(ls, Arrays.asList(cs), ls.length, null);
    }

    // ---- protobuf primitives, with the checks of CodedInputStream ----

    private int readTag(int end) throws InvalidProtocolBufferException {
        int t = (int) readVarint64(end);
        if ((t >>> 3) == 0) {
            throw malformed("invalid tag (zero)");
        }
        return t;
    }

    /**
     * A varint within the current message (ending at {@code end}), decoded to the value protobuf's
     * array decoder gives: it reads at most 10 bytes, keeps the lowest bit of the tenth, and when the
     * message has 10 or more bytes left it sets bit 63 for any 10-byte varint (its fast path).
     */
    private long readVarint64(int end) throws InvalidProtocolBufferException {
        byte[] a = b;
        int i = p;
        if (i < end && a[i] >= 0) {
            p = i + 1;
            return a[i];
        }
        int start = i;
        long x = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (i >= end) {
                throw malformed("truncated message");
            }
            byte c = a[i++];
            x |= (long) (c & 0x7F) << shift;
            if (c >= 0) {
                p = i;
                return shift == 63 && end - start >= 10 ? x | Long.MIN_VALUE : x;
            }
        }
        throw malformed("malformed varint");
    }

    /** A length prefix: non-negative and within {@code end}. */
    private int readLength(int end) throws InvalidProtocolBufferException {
        int len = (int) readVarint64(end);
        if (len < 0) {
            throw malformed("negative length");
        }
        if (len > end - p) {
            throw malformed("truncated message");
        }
        return len;
    }

    private void skipField(int tag, int end, int depth) throws InvalidProtocolBufferException {
        switch (tag & 7) {
            case 0 -> readVarint64(end);
            case 1 -> skip(8, end);
            case 2 -> {
                int len = readLength(end); // not "p += readLength(end)": that adds to p as it was before
                p += len;
            }
            case 3 -> {
                if (depth >= MAX_GROUP_DEPTH) {
                    throw malformed("groups nested too deeply");
                }
                int endTag = (tag & ~7) | 4;
                while (true) {
                    if (p >= end) {
                        throw malformed("truncated message");
                    }
                    int t = readTag(end);
                    if (t == endTag) {
                        break;
                    }
                    skipField(t, end, depth + 1);
                }
            }
            case 5 -> skip(4, end);
            default -> throw malformed("invalid wire type"); // 4: end group without start; 6, 7
        }
    }

    private void skip(int n, int end) throws InvalidProtocolBufferException {
        if (n > end - p) {
            throw malformed("truncated message");
        }
        p += n;
    }

    private static InvalidProtocolBufferException malformed(String what) {
        return new InvalidProtocolBufferException("malformed series response: " + what);
    }

    private String string(int off, int len) throws InvalidProtocolBufferException {
        if (!ascii(b, off, len) && !UnsafeByteOperations.unsafeWrap(b, off, len).isValidUtf8()) {
            throw malformed("invalid UTF-8 in a string field");
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    private static boolean ascii(byte[] a, int off, int len) {
        for (int i = off, e = off + len; i < e; i++) {
            if (a[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private String interned(int off, int len) throws InvalidProtocolBufferException {
        int slot = interner.find(b, off, len);
        if (slot >= 0) {
            return interner.first(slot);
        }
        String s = Labels.intern(string(off, len));
        interner.put(b, off, len, s, null);
        return s;
    }

    /**
     * One or two strings by the UTF-8 bytes they were decoded from: an open-addressing table over a
     * private copy of the key bytes. Bounded; past the bound keys are decoded every time.
     */
    static final class Interner {
        private static final int MAX = 1 << 16;
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private int[] hashes = new int[256];
        private int[] offs = new int[256];
        private int[] lens = new int[256];
        private String[] firsts = new String[256];
        private String[] seconds = new String[256];
        private byte[] arena = new byte[4096];
        private int arenaUsed;
        private int size;

        /** The slot of the key, or -1. */
        int find(byte[] b, int off, int len) {
            int h = hash(b, off, len);
            int mask = firsts.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                if (firsts[i] == null) {
                    return -1;
                }
                if (hashes[i] == h && lens[i] == len
                        && Arrays.equals(arena, offs[i], offs[i] + len, b, off, off + len)) {
                    return i;
                }
            }
        }

        String first(int slot) {
            return firsts[slot];
        }

        String second(int slot) {
            return seconds[slot];
        }

        void put(byte[] b, int off, int len, String first, String second) {
            if (size >= MAX || len > 1024) {
                return;
            }
            if (arenaUsed + len > arena.length) {
                arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
            }
            System.arraycopy(b, off, arena, arenaUsed, len);
            insert(hash(b, off, len), arenaUsed, len, first, second);
            arenaUsed += len;
            if (++size * 2 > firsts.length) {
                grow();
            }
        }

        private void insert(int h, int off, int len, String first, String second) {
            int mask = firsts.length - 1;
            int i = h & mask;
            while (firsts[i] != null) {
                i = (i + 1) & mask;
            }
            hashes[i] = h;
            offs[i] = off;
            lens[i] = len;
            firsts[i] = first;
            seconds[i] = second;
        }

        private void grow() {
            int[] oh = hashes;
            int[] oo = offs;
            int[] ol = lens;
            String[] of = firsts;
            String[] os = seconds;
            int n = of.length * 2;
            hashes = new int[n];
            offs = new int[n];
            lens = new int[n];
            firsts = new String[n];
            seconds = new String[n];
            for (int i = 0; i < of.length; i++) {
                if (of[i] != null) {
                    insert(oh[i], oo[i], ol[i], of[i], os[i]);
                }
            }
        }

        /**
         * Eight bytes per step (a byte-at-a-time hash is bound by one multiply's latency per byte),
         * mixed so that every key bit reaches the low bits used as the slot.
         */
        static int hash(byte[] b, int off, int len) {
            long h = len * 0x9E3779B97F4A7C15L;
            int i = off;
            int e = off + len;
            for (; i + 8 <= e; i += 8) {
                h = Long.rotateLeft(h ^ (long) LONGS.get(b, i), 29) * 0xBF58476D1CE4E5B9L;
            }
            long tail = 0;
            for (int k = 0; i < e; i++, k += 8) {
                tail |= (b[i] & 0xffL) << k;
            }
            h = (h ^ tail) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
            h *= 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }

    /** The columns of one frame's chunks. */
    private record Columns(byte[] buf, long[] min, long[] max, long[] hash, int[] dataOff, int[] dataLen,
            int[] type, byte[] flags, AggrChunk[] whole) {}

    /** The chunks of one decoded series: a window on its frame's columns. */
    private static final class WireChunks extends SeriesChunks {
        private final Columns c;
        private final int from;
        private final int n;

        WireChunks(Columns c, int from, int n) {
            this.c = c;
            this.from = from;
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public long minTime(int i) {
            return c.min[from + i];
        }

        @Override
        public long maxTime(int i) {
            return c.max[from + i];
        }

        @Override
        public boolean plain(int i) {
            return (c.flags[from + i] & PLAIN) != 0;
        }

        @Override
        public boolean hasRaw(int i) {
            return (c.flags[from + i] & RAW) != 0;
        }

        @Override
        public int rawType(int i) {
            return c.type[from + i];
        }

        @Override
        public long rawHash(int i) {
            return c.hash[from + i];
        }

        @Override
        public int dataLength(int i) {
            return c.dataLen[from + i];
        }

        @Override
        public void copyData(int i, byte[] dst, int off) {
            System.arraycopy(c.buf, c.dataOff[from + i], dst, off, c.dataLen[from + i]);
        }

        @Override
        public byte[] dataArray(int i) {
            return c.buf;
        }

        @Override
        public int dataOffset(int i) {
            return c.dataOff[from + i];
        }

        @Override
        protected AggrChunk whole(int i) {
            return c.whole[from + i];
        }
    }
}
