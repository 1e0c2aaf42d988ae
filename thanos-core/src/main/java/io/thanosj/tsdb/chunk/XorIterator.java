package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;

/**
 * Decodes an XOR chunk sample by sample. Reusable through {@link XorChunk#iterator(SampleIterator)};
 * allocates nothing per sample. Corrupt data raises {@link ThanosException} naming the chunk's origin.
 *
 * <p>The stream position is one int of bits. From the third sample on, {@link #next} copies it into
 * a local, takes the timestamp prefix, the delta of delta, the value control bits and usually the
 * value's significant bits from two {@link BitReader#peek 8-byte peeks}, and stores the position
 * back once. Running past the end is checked once per sample against {@link #endBit}; a chunk can
 * therefore never loop, and at most one garbage sample is computed before the error is raised.
 */
final class XorIterator implements SampleIterator {
    private byte[] b;
    private int base;     // byte index of the bit stream (after the 2-byte sample count)
    private int pos;      // bits consumed
    private int endBit;   // bits in the stream
    private XorChunk chunk;
    private int total;
    private int read;
    private boolean done;

    private long t;
    private long vbits;
    private long tDelta;
    private int width;    // significant bits of the current value window
    private int trailing; // trailing zero bits of the window

    void reset(XorChunk c) {
        chunk = c;
        b = c.array();
        base = c.offset() + 2;
        pos = 0;
        // Bounded so bit positions stay ints; no valid chunk comes near it (65535 samples of at most 145 bits).
        endBit = (int) Math.min((long) (c.length() - 2) * 8, Integer.MAX_VALUE - 1024);
        total = c.numSamples();
        read = 0;
        done = false;
        t = Long.MIN_VALUE;
        vbits = 0;
        tDelta = 0;
        width = 64;
        trailing = 0;
    }

    @Override
    public boolean next() {
        final int n = read;
        if (n >= total) {
            done = true;
            return false;
        }
        if (n < 2) {
            return nextHead(n);
        }
        final byte[] bytes = b;
        final int off = base;
        final int p = pos;
        // Timestamp: a delta of delta behind the prefix '0' (0), '10' (14 bits), '110' (17), '1110'
        // (20) or '1111' (64). Decoded without branches, as the prefix follows the scrape jitter and
        // defeats prediction; only the rare 64-bit form takes a separate path. Widths come from
        // constants indexed by the prefix length: fewer dependent steps than arithmetic on it.
        final long w = BitReader.peek(bytes, off, p);
        final int ones = Long.numberOfLeadingZeros(~w);
        if (ones >= 4) {
            return nextWide(n);
        }
        final int sh = ones << 3;
        final int s1 = (int) (0x18_14_10_01L >>> sh) & 0xff; // prefix and value: 1, 16, 20 or 24 bits
        final int sz = (int) (0x14_11_0e_00L >>> sh) & 0xff; // value: 0, 14, 17 or 20 bits
        final long td = tDelta + dod(w, ones + 1, sz);
        tDelta = td;
        t += td;
        // The value's control bits are in the same peek, at most 24 + 13 bits in.
        final int end = value(bytes, off, p + s1, w << s1);
        if (end > endBit) {
            throw truncated();
        }
        pos = end;
        read = n + 1;
        return true;
    }

    /** The {@code sz}-bit delta of delta after {@code hdr} prefix bits of {@code w}; 0 when {@code sz} is 0. */
    private static long dod(long w, int hdr, int sz) {
        final long raw = ((w << hdr) >>> 1) >>> (63 - sz);
        // The range is [-(2^(sz-1)-1), 2^(sz-1)]: larger values stand for negative ones.
        final long full = 1L << sz;
        return raw - (full & (((full >>> 1) - raw) >> 63));
    }

    /**
     * Decodes a value whose control bits lead {@code w} (bit {@code p} of the stream) and returns the
     * position after it: '0' same value, '10' previous window, '11' new window of 5 bits leading zeros
     * and 6 bits significant bits (0 meaning 64). Masks select between the cases so that no branch
     * depends on the data.
     */
    private int value(byte[] bytes, int off, int p, long w) {
        final int c0 = (int) (w >>> 63);
        final int fresh = c0 & (int) (w >>> 62); // '11'
        final int mFresh = -fresh;
        final int nl = (int) (w >>> 57) & 31;
        final int nm = 64 - ((64 - ((int) (w >>> 51) & 63)) & 63);
        final int ntr = 64 - nl - nm;
        if ((ntr & mFresh) < 0) {
            throw badWindow(nl, nm);
        }
        final int wb = width ^ ((width ^ nm) & mFresh);
        final int tr = trailing ^ ((trailing ^ ntr) & mFresh);
        width = wb;
        trailing = tr;
        final int mbits = wb & -c0;
        final int px = p + 1 + c0 + 11 * fresh;
        // This load is off the position's dependency chain: only the value waits for it.
        final long x = mbits <= BitReader.PEEK_BITS
                ? (BitReader.peek(bytes, off, px) >>> 1) >>> (63 - mbits)
                : BitReader.bits(bytes, off, px, mbits);
        vbits ^= x << tr;
        return px + mbits;
    }

    /** A sample whose delta of delta needs all 64 bits. */
    private boolean nextWide(int n) {
        tDelta += BitReader.bits(b, base, pos + 4, 64);
        t += tDelta;
        final int p = readValue(b, base, pos + 68);
        if (p > endBit) {
            throw truncated();
        }
        pos = p;
        read = n + 1;
        return true;
    }

    /** A value at bit {@code p} on the rare paths (the second sample, after a 64-bit delta of delta). */
    private int readValue(byte[] bytes, int off, int p) {
        return value(bytes, off, p, BitReader.peek(bytes, off, p));
    }

    /** The first sample (varint time, raw value) and the second (uvarint delta, XORed value). */
    private boolean nextHead(int n) {
        int p;
        if (n == 0) {
            final long ux = readUvarint();
            t = (ux >>> 1) ^ -(ux & 1);
            vbits = BitReader.bits(b, base, pos, 64);
            p = pos + 64;
        } else {
            tDelta = readUvarint();
            t += tDelta;
            p = readValue(b, base, pos);
        }
        if (p > endBit) {
            throw truncated();
        }
        pos = p;
        read = n + 1;
        return true;
    }

    /** Go's {@code binary.ReadUvarint} over the bit stream, 8 bits per byte, advancing {@link #pos}. */
    private long readUvarint() {
        long x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++) {
            if (pos + 8 > endBit) {
                throw corrupt("unexpected end of chunk data");
            }
            final int c = (int) (BitReader.peek(b, base, pos) >>> 56);
            pos += 8;
            if (c < 0x80) {
                if (i == 9 && c > 1) {
                    break;
                }
                return x | ((long) c << s);
            }
            x |= (long) (c & 0x7f) << s;
            s += 7;
        }
        throw corrupt("varint overflows 64 bits");
    }

    // Kept apart so that the message building does not count against the hot methods' inlining size.
    private ThanosException truncated() {
        return corrupt("unexpected end of chunk data");
    }

    private ThanosException badWindow(int lead, int mbits) {
        return corrupt("invalid value encoding, " + lead + " leading zeros and " + mbits + " significant bits");
    }

    private ThanosException corrupt(String detail) {
        ThanosException e = ThanosException.corrupted("decode XOR chunk" + chunk.where() + ": " + detail
                + " (sample " + (read + 1) + " of " + total + ")");
        read = total;
        done = true;
        return e;
    }

    @Override
    public boolean seek(long ts) {
        if (done) {
            return false;
        }
        while (read == 0 || ts > t) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return Double.longBitsToDouble(vbits);
    }

    // State for XorAppender.continuing.
    long tDelta() {
        return tDelta;
    }

    long vbits() {
        return vbits;
    }

    int leading() {
        return 64 - width - trailing;
    }

    int trailing() {
        return trailing;
    }

    long bitsRead() {
        return pos;
    }
}
