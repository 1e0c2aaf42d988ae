package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;

/**
 * Decodes an XOR chunk in batches of up to {@link #BATCH} samples into its own primitive arrays and
 * serves {@link #next}, {@link #t} and {@link #v} from them. Reusable through
 * {@link XorChunk#iterator(SampleIterator)}; the arrays grow to the largest batch seen (at most
 * {@code BATCH + 1} entries each) and nothing is allocated per sample. Corrupt data raises
 * {@link ThanosException} naming the chunk's origin, on the {@code next} call that reaches the bad
 * sample: the samples before it are served first, as Prometheus's iterator does.
 *
 * <p>Why batches: decoding one sample per {@code next} call stores and reloads the decoder state
 * (bit position, time, delta, value, window) through fields on every sample, which puts memory
 * round trips on the bit position's dependency chain. {@link #decode} keeps all of it in locals for
 * a whole batch; the per-sample work left in {@code next} is an index increment.
 *
 * <p>Slot 0 of the arrays holds the sample before the batch (a sentinel before the first one), so
 * {@link #t} and {@link #v} need no check; batch samples sit at 1 to {@link #filled}.
 */
final class XorIterator implements SampleIterator {
    /** Samples decoded per batch: whole chunks of the usual 120 samples, a bounded buffer for big ones. */
    static final int BATCH = 256;

    private long[] ts = {Long.MIN_VALUE};
    private double[] vs = {0};
    private int cur;                 // current sample's slot; 0 before the first
    private int filled;              // last slot of the batch
    private ThanosException pending; // corruption found right after the batch

    private byte[] b;
    private int base;     // byte index of the bit stream (after the 2-byte sample count)
    private XorChunk chunk;
    private int total;
    private boolean done;

    // Decoder state after the last decoded sample.
    private int pos;      // bits consumed
    private int endBit;   // bits in the stream
    private int read;     // samples decoded
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
        pending = null;
        t = Long.MIN_VALUE;
        vbits = 0;
        tDelta = 0;
        width = 64;
        trailing = 0;
        cur = 0;
        filled = 0;
        ts[0] = Long.MIN_VALUE;
        vs[0] = 0;
    }

    @Override
    public boolean next() {
        final int i = cur + 1;
        if (i <= filled) {
            cur = i;
            return true;
        }
        return nextBatch();
    }

    @Override
    public boolean seek(long target) {
        if (done) {
            return false;
        }
        while (cur == 0 || ts[cur] < target) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long t() {
        return ts[cur];
    }

    @Override
    public double v() {
        return vs[cur];
    }

    /** Decodes the next batch and moves to its first sample; false at the end, throws at corruption. */
    private boolean nextBatch() {
        if (pending != null) {
            throw fail();
        }
        if (read >= total) {
            done = true;
            return false;
        }
        final int n = Math.min(total - read, BATCH);
        // The slot before the batch keeps the last sample for t()/v() until next() moves on.
        final long lastT = ts[cur];
        final double lastV = vs[cur];
        if (ts.length <= n) {
            final int size = Math.max(n + 1, Math.min(2 * ts.length, BATCH + 1));
            ts = new long[size];
            vs = new double[size];
        }
        ts[0] = lastT;
        vs[0] = lastV;
        cur = 0;
        int k = 1;
        if (read == 0) {
            head(k);
            k += read;
        }
        if (k <= n && pending == null) {
            k = decode(k, n);
        }
        filled = k - 1;
        if (filled == 0) {
            throw fail();
        }
        cur = 1;
        return true;
    }

    /**
     * Decodes samples into slots {@code from} to {@code to} and returns the slot after the last one
     * decoded; stops early, setting {@link #pending}, at corruption.
     *
     * <p>Per sample, two {@link BitReader#peek 8-byte peeks}: one for the timestamp prefix, the delta
     * of delta and the value's control bits, one for the value's significant bits. Running past the
     * end is checked once per sample against {@link #endBit}; a chunk can therefore never loop, and at
     * most one garbage sample is computed, never stored.
     */
    private int decode(int from, int to) {
        final byte[] bytes = b;
        final int off = base;
        final long origin = (long) off << 3;
        final long end = origin + endBit;
        final long[] tsa = ts;
        final double[] vsa = vs;
        long td = tDelta;
        long w;
        if (read == 1) {
            // The second sample's time is a uvarint delta; after it the value is coded as in later
            // samples. Entering the loop one bit early with a '0' prefix (a zero delta of delta) in
            // front of the value bits decodes it without a per-sample test.
            td = readUvarint();
            if (pending != null) {
                return from;
            }
            w = BitReader.peek(bytes, off, pos) >>> 1;
            pos--;
        } else {
            w = BitReader.peek(bytes, off, pos);
        }
        long p = origin + pos;
        long tt = t;
        long v = vbits;
        int wb = width;
        int tr = trailing;
        int k = from;
        for (; k <= to; k++) {
            final long q;
            final long wv;
            if (w >>> 62 != 3) {
                // '0' or '10': chosen without a branch, as the choice follows the scrape jitter.
                final long m0 = w >> 63;
                // 14 bits in [-8191, 8192]: sign-extend the field minus one, then add the one back.
                td += ((((w << 2) - (1L << 50)) >> 50) + 1) & m0;
                final int s1 = 1 + ((int) m0 & 15);
                q = p + s1;
                wv = w << s1;
            } else {
                final int ones = Long.numberOfLeadingZeros(~w);
                if (ones < 4) {
                    final int sh = ones << 3;
                    final int s1 = (int) (0x18_14_10_01L >>> sh) & 0xff; // prefix and delta: 1, 16, 20 or 24 bits
                    final int sz = (int) (0x14_11_0e_00L >>> sh) & 0xff; // delta: 0, 14, 17 or 20 bits
                    td += dod(w, ones + 1, sz);
                    q = p + s1;
                    wv = w << s1; // the value's control bits are in the same peek, at most 24 + 13 bits in
                } else {
                    td += BitReader.bits(bytes, off, (int) (p - origin) + 4, 64);
                    q = p + 68;
                    wv = BitReader.peekAt(bytes, q);
                }
            }
            tt += td;
            final long e;
            if (wv >= 0) {
                e = q + 1;
            } else {
                final long px;
                if (wv << 1 >= 0) {
                    px = q + 2;
                } else {
                    final int nl = (int) (wv >>> 57) & 31;
                    final int nm = (((int) (wv >>> 51) - 1) & 63) + 1;
                    final int ntr = 64 - nl - nm;
                    if (ntr < 0) {
                        pending = badWindow(read + k - from, nl, nm);
                        break;
                    }
                    wb = nm;
                    tr = ntr;
                    px = q + 13;
                }
                // This load is off the position's dependency chain: only the value waits for it.
                final long x = wb <= BitReader.PEEK_BITS
                        ? BitReader.peekAt(bytes, px) >>> (64 - wb)
                        : BitReader.bits(bytes, off, (int) (px - origin), wb);
                v ^= x << tr;
                e = px + wb;
            }
            if (e > end) {
                pending = truncated(read + k - from);
                break;
            }
            p = e;
            tsa[k] = tt;
            vsa[k] = Double.longBitsToDouble(v);
            w = BitReader.peekAt(bytes, p);
        }
        // Only decoded samples' state is kept: after corruption the iterator is finished anyway.
        final int got = k - from;
        read += got;
        if (got > 0) {
            pos = (int) (p - origin);
            t = tt;
            tDelta = td;
            vbits = v;
            width = wb;
            trailing = tr;
        }
        return k;
    }

    /** The {@code sz}-bit delta of delta after {@code hdr} prefix bits of {@code w}; 0 when {@code sz} is 0. */
    private static long dod(long w, int hdr, int sz) {
        final long raw = ((w << hdr) >>> 1) >>> (63 - sz);
        // The range is [-(2^(sz-1)-1), 2^(sz-1)]: larger values stand for negative ones.
        final long full = 1L << sz;
        return raw - (full & (((full >>> 1) - raw) >> 63));
    }

    /** The first sample, a varint time and a raw value, into slot {@code k}. */
    private void head(int k) {
        final long ux = readUvarint();
        if (pending != null) {
            return;
        }
        if (pos + 64 > endBit) {
            pending = truncated(0);
            return;
        }
        t = (ux >>> 1) ^ -(ux & 1);
        vbits = BitReader.bits(b, base, pos, 64);
        pos += 64;
        ts[k] = t;
        vs[k] = Double.longBitsToDouble(vbits);
        read = 1;
    }

    /** Go's {@code binary.ReadUvarint} over the bit stream, 8 bits per byte, advancing {@link #pos}. */
    private long readUvarint() {
        long x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++) {
            if (pos + 8 > endBit) {
                pending = truncated(read);
                return 0;
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
        pending = corrupt(read, "varint overflows 64 bits");
        return 0;
    }

    // Kept apart so that the message building does not count against the hot methods' inlining size.
    private ThanosException truncated(int sample) {
        return corrupt(sample, "unexpected end of chunk data");
    }

    private ThanosException badWindow(int sample, int lead, int mbits) {
        return corrupt(sample, "invalid value encoding, " + lead + " leading zeros and " + mbits + " significant bits");
    }

    private ThanosException corrupt(int sample, String detail) {
        return ThanosException.corrupted("decode XOR chunk" + chunk.where() + ": " + detail
                + " (sample " + (sample + 1) + " of " + total + ")");
    }

    /** The pending error, leaving the iterator finished. */
    private ThanosException fail() {
        final ThanosException e = pending;
        pending = null;
        read = total;
        done = true;
        return e;
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
