package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import java.util.Arrays;

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

    /**
     * How far past a sample's first bit {@link #decode} may load 8 bytes: 113 bits (a 64-bit delta of
     * delta after its 4-bit prefix, 13 control bits, then 64 value bits read as two halves).
     */
    private static final int LOOKAHEAD_BITS = 113;

    // Slot i holds a timestamp at 2i and the raw bits of its value at 2i + 1: one array, so that the
    // decode loop keeps one register fewer busy.
    private long[] samples = {Long.MIN_VALUE, 0};
    private int cur;                 // current sample's slot; 0 before the first
    private int filled;              // last slot of the batch
    private ThanosException pending; // corruption found right after the batch

    private byte[] b;
    // The chunk's last bytes (at most 22, see decode) and zeros, for decoding near the array's end.
    private final byte[] tail = new byte[64];
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
    private int window;   // the value window: significant bits << 8 | trailing zero bits

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
        window = 64 << 8;
        cur = 0;
        filled = 0;
        samples[0] = Long.MIN_VALUE;
        samples[1] = 0;
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
        while (cur == 0 || samples[cur << 1] < target) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long t() {
        return samples[cur << 1];
    }

    @Override
    public double v() {
        return Double.longBitsToDouble(samples[(cur << 1) + 1]);
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
        final long lastT = samples[cur << 1];
        final long lastV = samples[(cur << 1) + 1];
        if (samples.length < 2 * (n + 1)) {
            samples = new long[2 * Math.max(n + 1, Math.min(samples.length, BATCH + 1))];
        }
        samples[0] = lastT;
        samples[1] = lastV;
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
     * <p>Per sample, two {@link BitReader#peekIn 8-byte loads}: one for the timestamp prefix, the
     * delta of delta and the value's control bits, one for the value's significant bits. The bit
     * position, the one loop-carried dependency that waits for loads, is kept short: the common
     * delta-of-delta prefixes '0' and '10' are told apart without a branch (the choice follows the
     * scrape jitter, which defeats prediction), while the value's control bits, usually repeating,
     * are branched on, so that predicted samples advance the position without waiting for their bits.
     *
     * <p>Running past the end is checked once per sample, against {@code lim}: the stream's end or,
     * when the array ends first, the last position from which a whole sample ({@link #LOOKAHEAD_BITS})
     * can be loaded. Beyond that the loop continues on a zero-padded copy of the chunk's last bytes
     * ({@link #tail}), so loads need no test of their own. A chunk can therefore never loop, and at
     * most one garbage sample is computed, never counted.
     */
    private int decode(int from, int to) {
        byte[] bytes = b;
        long origin = (long) base << 3;
        long end = origin + endBit;
        long lim = Math.min(end, ((long) bytes.length - 8) * 8 - LOOKAHEAD_BITS);
        final long[] out = samples;
        long td = tDelta;
        // The second sample's time is a uvarint delta; after it the value is coded as in later
        // samples. Entering the loop one bit early with a '0' prefix (a zero delta of delta) in
        // front of the value bits decodes it without a per-sample test.
        boolean second = read == 1;
        if (second) {
            td = readUvarint();
            if (pending != null) {
                return from;
            }
        }
        long p = origin + pos - (second ? 1 : 0);
        long tt = t;
        long v = vbits;
        int win = window;
        int k = from;
        decoding:
        while (k <= to) {
            if (p > lim) {
                // Near the array's end: continue on a zero-padded copy of the chunk's last bytes.
                final int at = (int) (p >>> 3);
                final int n = (int) (end >>> 3) - at;
                final byte[] padded = tail;
                System.arraycopy(bytes, at, padded, 0, n);
                Arrays.fill(padded, n, padded.length, (byte) 0);
                final long shift = (long) at << 3;
                bytes = padded;
                p -= shift;
                origin -= shift;
                end -= shift;
                lim = end;
            }
            long w = second ? BitReader.peekIn(bytes, p + 1) >>> 1 : BitReader.peekIn(bytes, p);
            second = false;
            for (; k <= to; k++) {
                // Timestamp: a delta of delta behind the prefix '0' (0), '10' (14 bits), '110' (17),
                // '1110' (20) or '1111' (64).
                final long q;
                final long wv;
                if (w >>> 62 != 3) {
                    final long m0 = w >> 63; // all ones for '10'
                    // 14 bits in [-8191, 8192]: sign-extend the field minus one, then add the one back.
                    td += ((((w << 2) - (1L << 50)) >> 50) + 1) & m0;
                    final int s1 = 1 + ((int) m0 & 15);
                    q = p + s1;
                    wv = w << s1; // the value's control bits follow in the same load
                } else {
                    final int ones = Long.numberOfLeadingZeros(~w);
                    if (ones < 4) {
                        final int s1 = ones == 2 ? 20 : 24;
                        td += dod(w, ones + 1, s1 - ones - 1);
                        q = p + s1;
                        wv = w << s1; // at most 24 + 13 bits in
                    } else {
                        td += BitReader.bitsIn(bytes, p + 4, 64);
                        q = p + 68;
                        wv = BitReader.peekIn(bytes, q);
                    }
                }
                tt += td;
                // Value: '0' same value, '10' previous window, '11' new window of 5 bits leading zeros
                // and 6 bits significant bits (0 meaning 64).
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
                            final int sample = read + k - from;
                            pending = q + 13 + nm > end ? truncated(sample) : badWindow(sample, nl, nm);
                            break decoding;
                        }
                        win = nm << 8 | ntr;
                        px = q + 13;
                    }
                    // This load is off the position's dependency chain: only the value waits for it.
                    // Shift counts use their low 6 bits: -width is 64 - width, win is the trailing zeros.
                    final int width = win >>> 8;
                    final long x = width <= BitReader.PEEK_BITS
                            ? BitReader.peekIn(bytes, px) >>> -width
                            : BitReader.bitsIn(bytes, px, width);
                    v ^= x << win;
                    e = px + width;
                }
                // Stored before the check: a sample beyond the end is never counted.
                out[2 * k] = tt;
                out[2 * k + 1] = v;
                p = e;
                if (e > lim) {
                    if (e > end) {
                        pending = truncated(read + k - from);
                        break decoding;
                    }
                    break;
                }
                w = BitReader.peekIn(bytes, e);
            }
            if (k <= to) {
                k++; // the sample that reached lim
            }
        }
        // Only decoded samples' state is kept: after corruption the iterator is finished anyway.
        final int got = k - from;
        read += got;
        if (got > 0) {
            pos = (int) (p - origin);
            t = tt;
            tDelta = td;
            vbits = v;
            window = win;
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
        samples[2 * k] = t;
        samples[2 * k + 1] = vbits;
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
        return 64 - (window >>> 8) - trailing();
    }

    int trailing() {
        return window & 0xff;
    }

    long bitsRead() {
        return pos;
    }
}
