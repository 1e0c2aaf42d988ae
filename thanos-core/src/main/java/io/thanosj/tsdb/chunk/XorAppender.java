package io.thanosj.tsdb.chunk;

import java.util.Arrays;

/**
 * Encodes samples into an XOR chunk bit-exactly as Prometheus's {@code xorAppender}: the first
 * timestamp as a varint and value as 64 raw bits, the second timestamp as a uvarint delta, later
 * ones as delta-of-delta in 1, 16, 20, 24 or 68 bits, values XORed with their predecessor reusing
 * the previous leading/trailing-zero window when it fits. Values are kept as raw bits so NaN
 * payloads such as the staleness marker survive. Timestamps must not decrease (not checked, as in
 * Prometheus). Reusable through {@link #reset}.
 */
public final class XorAppender {
    /** A chunk's sample count is a uint16. */
    public static final int MAX_SAMPLES = 0xffff;

    private final BitWriter w = new BitWriter(128);
    private int num;
    private long t;
    private long vbits;
    private long tDelta;
    private int leading = 0xff;
    private int trailing;

    public XorAppender() {
        reset();
    }

    /** Starts a new, empty chunk. */
    public XorAppender reset() {
        w.b[0] = 0;
        w.b[1] = 0;
        w.len = 2;
        w.freeBits = 0;
        num = 0;
        t = 0;
        vbits = 0;
        tDelta = 0;
        leading = 0xff;
        trailing = 0;
        return this;
    }

    /** Replays a chunk to recover the encoder state, as Prometheus's {@code XORChunk.Appender}. */
    static XorAppender continuing(XorChunk c) {
        XorAppender a = new XorAppender();
        XorIterator it = new XorIterator();
        it.reset(c);
        while (it.next()) {
            // run to the end
        }
        int n = c.numSamples();
        long bits = it.bitsRead();
        int bytes = (int) ((bits + 7) >>> 3);
        byte[] copy = new byte[Math.max(2 + bytes + 64, 128)];
        System.arraycopy(c.array(), c.offset(), copy, 0, 2 + bytes);
        int free = (int) ((8 - (bits & 7)) & 7);
        int used = 2 + bytes;
        if (free != 0) {
            copy[1 + bytes] &= (byte) (0xff << free); // padding must be zero before bits are ORed in
        } else if (c.length() > used) {
            // Prometheus's writer leaves an empty byte after a byte-aligned write; keep it as it would.
            copy[used++] = 0;
            free = 8;
        }
        a.w.reset(copy, used, free);
        a.num = n;
        a.t = it.t();
        a.vbits = it.vbits();
        a.tDelta = it.tDelta();
        a.leading = n == 0 ? 0xff : it.leading();
        a.trailing = it.trailing();
        return a;
    }

    public int numSamples() {
        return num;
    }

    /** Encoded size in bytes so far. */
    public int sizeBytes() {
        return w.len;
    }

    /** Timestamp of the last appended sample; undefined when empty. */
    public long lastT() {
        return t;
    }

    public void append(long ts, double v) {
        if (num == MAX_SAMPLES) {
            throw new IllegalStateException("XOR chunk is full with " + MAX_SAMPLES + " samples");
        }
        long vb = Double.doubleToRawLongBits(v);
        long td = 0;
        if (num == 0) {
            writeUvarint((ts << 1) ^ (ts >> 63));
            w.writeBits(vb, 64);
        } else if (num == 1) {
            td = ts - t;
            writeUvarint(td);
            writeValue(vb);
        } else {
            td = ts - t;
            long dod = td - tDelta;
            if (dod == 0) {
                w.writeBit(false);
            } else if (bitRange(dod, 14)) {
                w.writeBits(0b10, 2);
                w.writeBits(dod, 14);
            } else if (bitRange(dod, 17)) {
                w.writeBits(0b110, 3);
                w.writeBits(dod, 17);
            } else if (bitRange(dod, 20)) {
                w.writeBits(0b1110, 4);
                w.writeBits(dod, 20);
            } else {
                w.writeBits(0b1111, 4);
                w.writeBits(dod, 64);
            }
            writeValue(vb);
        }
        t = ts;
        vbits = vb;
        tDelta = td;
        num++;
        w.b[0] = (byte) (num >>> 8);
        w.b[1] = (byte) num;
    }

    /** Whether x fits Prometheus's asymmetric n-bit range {@code [-(2^(n-1)-1), 2^(n-1)]}. */
    private static boolean bitRange(long x, int nbits) {
        long half = 1L << (nbits - 1);
        return -(half - 1) <= x && x <= half;
    }

    private void writeUvarint(long v) {
        while ((v & ~0x7fL) != 0) {
            w.writeByte((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        w.writeByte((int) v);
    }

    private void writeValue(long vb) {
        long delta = vb ^ vbits;
        if (delta == 0) {
            w.writeBit(false);
            return;
        }
        w.writeBit(true);
        int lead = Long.numberOfLeadingZeros(delta);
        int trail = Long.numberOfTrailingZeros(delta);
        if (lead >= 32) {
            lead = 31; // leading zeros are stored in 5 bits
        }
        if (leading != 0xff && lead >= leading && trail >= trailing) {
            w.writeBit(false);
            w.writeBits(delta >>> trailing, 64 - leading - trailing);
        } else {
            leading = lead;
            trailing = trail;
            w.writeBit(true);
            w.writeBits(lead, 5);
            int sig = 64 - lead - trail;
            w.writeBits(sig, 6); // 64 is written as 0
            w.writeBits(delta >>> trail, sig);
        }
    }

    /** The chunk so far, as an independent copy; appending may continue. */
    public XorChunk chunk() {
        return XorChunk.wrap(Arrays.copyOf(w.b, w.len));
    }
}
