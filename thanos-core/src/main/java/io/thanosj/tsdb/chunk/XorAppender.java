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
        w.rewind(2);
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
        int bits = (int) it.bitsRead();
        int bytes = (bits + 7) >>> 3;
        byte[] copy = new byte[Math.max(2 + bytes + 64, 128)];
        System.arraycopy(c.array(), c.offset(), copy, 0, 2 + bytes);
        int pad = (8 - (bits & 7)) & 7;
        if (pad != 0) {
            copy[1 + bytes] &= (byte) (0xff << pad); // padding must be zero before bits are ORed in
        }
        // Prometheus's writer leaves an empty byte after a byte-aligned write; keep it as it would.
        a.w.reset(copy, 16 + bits, pad == 0 && c.length() > 2 + bytes);
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
        return w.length();
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
            w.bits(vb, 64);
        } else if (num == 1) {
            td = ts - t;
            writeUvarint(td);
            writeValue(vb);
        } else {
            td = ts - t;
            long dod = td - tDelta;
            // Prefix and delta of delta in one write; the value's write decides the trailing byte.
            if (dod == 0) {
                w.raw(0, 1);
            } else if (bitRange(dod, 14)) {
                w.raw(0b10L << 14 | (dod & 0x3fff), 16);
            } else if (bitRange(dod, 17)) {
                w.raw(0b110L << 17 | (dod & 0x1ffff), 20);
            } else if (bitRange(dod, 20)) {
                w.raw(0b1110L << 20 | (dod & 0xfffff), 24);
            } else {
                w.raw(0b1111, 4);
                w.raw(dod, 64);
            }
            writeValue(vb);
        }
        t = ts;
        vbits = vb;
        tDelta = td;
        num++;
    }

    /** Whether x fits Prometheus's asymmetric n-bit range {@code [-(2^(n-1)-1), 2^(n-1)]}. */
    private static boolean bitRange(long x, int nbits) {
        long half = 1L << (nbits - 1);
        return -(half - 1) <= x && x <= half;
    }

    private void writeUvarint(long v) {
        while ((v & ~0x7fL) != 0) {
            w.bits((v & 0x7f) | 0x80, 8);
            v >>>= 7;
        }
        w.bits(v, 8);
    }

    private void writeValue(long vb) {
        long delta = vb ^ vbits;
        if (delta == 0) {
            w.bit(false);
            return;
        }
        int lead = Long.numberOfLeadingZeros(delta);
        int trail = Long.numberOfTrailingZeros(delta);
        if (lead >= 32) {
            lead = 31; // leading zeros are stored in 5 bits
        }
        if (leading != 0xff && lead >= leading && trail >= trailing) {
            w.raw(0b10, 2);
            w.bits(delta >>> trailing, 64 - leading - trailing);
        } else {
            leading = lead;
            trailing = trail;
            int sig = 64 - lead - trail;
            // '11', 5 bits of leading zeros, 6 of significant bits (64 written as 0), then the bits.
            w.raw(0b11L << 11 | lead << 6 | (sig & 63), 13);
            w.bits(delta >>> trail, sig);
        }
    }

    /** The encoding buffer: the chunk is its first {@link #sizeBytes} bytes, valid until the next append. */
    byte[] buffer() {
        final byte[] a = w.array();
        a[0] = (byte) (num >>> 8);
        a[1] = (byte) num;
        return a;
    }

    /** The chunk so far, as an independent copy; appending may continue. */
    public XorChunk chunk() {
        return XorChunk.wrap(Arrays.copyOf(buffer(), w.length()));
    }
}
