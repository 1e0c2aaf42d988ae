package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;

/**
 * Decodes an XOR chunk in batches of up to {@link #BATCH} samples into its own primitive array and
 * serves {@link #next}, {@link #t} and {@link #v} from it. Reusable through
 * {@link XorChunk#iterator(SampleIterator)}; its buffers grow to the largest chunk seen (the sample
 * array to at most {@code BATCH + 1} samples) and nothing is allocated per sample. Corrupt data raises
 * {@link ThanosException} naming the chunk's origin, on the {@code next} call that reaches the bad
 * sample: the samples before it are served first, as Prometheus's iterator does.
 *
 * <p>Why batches: decoding one sample per {@code next} call stores and reloads the decoder state
 * (bit position, time, delta, value, window) through fields on every sample, which puts memory
 * round trips on the bit position's dependency chain. {@link #decode} keeps all of it in locals for
 * a whole batch; the per-sample work left in {@code next} is an index increment.
 *
 * <p>The bit stream is first copied into {@link #buf}, which has room after it, so that the decoder's
 * 8-byte loads never need a test of their own: the one end test per sample bounds them all. (Copying
 * ~700 bytes costs less than testing each load, and the copy streams the chunk into the cache.)
 *
 * <p>Slot 0 of the sample array holds the sample before the batch (a sentinel before the first one),
 * so {@link #t} and {@link #v} need no check; batch samples sit at slots 1 to {@code last / 2}.
 */
final class XorIterator implements SampleIterator {
    /** Samples decoded per batch: whole chunks of the usual 120 samples, a bounded buffer for big ones. */
    static final int BATCH = 256;

    /**
     * Bytes after the stream in {@link #buf}: a sample that starts at or before the stream's end
     * loads 8 bytes from at most 113 bits further on (a 64-bit delta of delta after its 4-bit prefix,
     * 13 control bits, then 64 value bits read as two halves).
     */
    private static final int PAD = (113 + 7) / 8 + 8 + 1;

    /**
     * The longest a sample can be: 68 bits of timestamp, 13 control bits and 64 value bits. The first
     * two can be 144 and 157 bits (10-byte varints), together {@link #HEAD_EXTRA_BITS} more than two.
     */
    private static final int MAX_SAMPLE_BITS = 145;
    private static final int HEAD_EXTRA_BITS = 11;

    // Slot i holds a timestamp at 2i and the raw bits of its value at 2i + 1: one array, so that the
    // decode loop keeps one register fewer busy.
    private long[] samples = {Long.MIN_VALUE, 0};
    private int at;                  // index of the current sample's timestamp; 0 before the first
    private int last;                // index of the batch's last timestamp
    private ThanosException pending; // corruption found right after the batch

    private byte[] buf = new byte[256]; // the bit stream from bit 0, then at least PAD bytes
    private XorChunk chunk;
    private int total;
    private boolean done;

    // Decoder state after the last decoded sample.
    private int pos;      // bits consumed
    private int endBit;   // bits in the stream, as far as total samples can reach
    private int read;     // samples decoded
    private long t;
    private long vbits;
    private long tDelta;
    private int window;   // the value window: significant bits << 8 | trailing zero bits

    void reset(XorChunk c) {
        chunk = c;
        total = c.numSamples();
        pos = 0;
        endBit = 0;
        read = 0;
        done = false;
        pending = null;
        t = Long.MIN_VALUE;
        vbits = 0;
        tDelta = 0;
        window = 64 << 8;
        at = 0;
        last = 0;
        samples[0] = Long.MIN_VALUE;
        samples[1] = 0;
    }

    /** Copies the chunk's bit stream into {@link #buf}, as much of it as its samples can use. */
    private void load() {
        final XorChunk c = chunk;
        // A corrupt chunk can be longer than its samples could fill; what lies beyond is never read.
        final int len = (int) Math.min(c.length() - 2, ((long) total * MAX_SAMPLE_BITS + HEAD_EXTRA_BITS + 7) / 8);
        if (buf.length < len + PAD) {
            buf = new byte[Math.max(len + PAD, 2 * buf.length)]; // len is at most ~1.2 MB: no overflow
        }
        // The padding keeps what earlier chunks left there: every bit that goes into a sample, or
        // into the choice between the two errors, lies before the sample's end, which is checked.
        System.arraycopy(c.array(), c.offset() + 2, buf, 0, len);
        endBit = len * 8;
    }

    @Override
    public boolean next() {
        final int i = at + 2;
        if (i <= last) {
            at = i;
            return true;
        }
        return nextBatch();
    }

    @Override
    public boolean seek(long target) {
        if (done) {
            return false;
        }
        while (at == 0 || samples[at] < target) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long t() {
        return samples[at];
    }

    @Override
    public double v() {
        return Double.longBitsToDouble(samples[at + 1]);
    }

    @Override
    public int drain(long maxt, long[] ts, double[] vs, int off, int len) {
        int c = 0;
        while (true) {
            final long[] s = samples;
            final int end = last;
            int i = at;
            while (i <= end && c < len) {
                final long st = s[i];
                if (st > maxt) {
                    at = i;
                    return c;
                }
                ts[off + c] = st;
                vs[off + c] = Double.longBitsToDouble(s[i + 1]);
                c++;
                i += 2;
            }
            if (i <= end) {
                at = i;
                return c;
            }
            // The batch is copied: its last sample becomes the one before the next batch.
            at = end;
            if (!nextBatch()) {
                return -c - 1;
            }
            if (c == len) {
                return c;
            }
        }
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
        final long lastT = samples[at];
        final long lastV = samples[at + 1];
        if (samples.length < 2 * (n + 1)) {
            samples = new long[2 * Math.max(n + 1, Math.min(samples.length, BATCH + 1))];
        }
        samples[0] = lastT;
        samples[1] = lastV;
        at = 0;
        int k = 1;
        if (read == 0) {
            load();
            head(k);
            k += read;
        }
        if (k <= n && pending == null) {
            k = decode(k, n);
        }
        last = 2 * (k - 1);
        if (last == 0) {
            throw fail();
        }
        at = 2;
        return true;
    }

    /**
     * Decodes samples into slots {@code from} to {@code to} and returns the slot after the last one
     * decoded; stops early, setting {@link #pending}, at corruption.
     *
     * <p>Per sample, two 8-byte loads: one for the timestamp prefix, the delta of delta and the
     * value's control bits, one for the value's significant bits. The bit position, the one
     * loop-carried dependency that waits for loads, is kept short: the common delta-of-delta prefixes
     * '0' and '10' are told apart without a branch (the choice follows the scrape jitter, which defeats
     * prediction), while the value's control bits, usually repeating, are branched on, so that
     * predicted samples advance the position without waiting for their bits.
     *
     * <p>Running past the end is checked once per sample; a chunk can therefore never loop, its
     * loads stay within the padding, and at most one garbage sample is computed, never counted.
     */
    private int decode(int from, int to) {
        final byte[] bytes = buf;
        final long end = endBit;
        final long[] out = samples;
        long td = tDelta;
        // The second sample's time is a uvarint delta; after it the value is coded as in later
        // samples. Entering the loop one bit early with a '0' prefix (a zero delta of delta) in
        // front of the value bits decodes it without a per-sample test.
        final boolean second = read == 1;
        if (second) {
            td = readUvarint();
            if (pending != null) {
                return from;
            }
        }
        // Loop state: the sample's first bit p, the 64 bits from there (w), and whether the first of
        // them is set (m0, all ones or zero).
        long p;
        long m0;
        long w;
        if (second) {
            p = pos - 1;
            m0 = 0;
            w = BitReader.peek(bytes, pos) >>> 1;
        } else {
            p = pos;
            final long raw = BitReader.raw(bytes, p);
            m0 = BitReader.first(raw, p);
            w = BitReader.align(raw, p);
        }
        long tt = t;
        long v = vbits;
        int win = window;
        // j indexes the sample array: slot k at 2k.
        int j = 2 * from;
        final int jEnd = 2 * to;
        for (; j <= jEnd; j += 2) {
            // The common case, which the position's dependency chain is built for: a delta-of-delta
            // prefix '0' or '10' (no branch: it follows the scrape jitter), then value bits in the
            // previous window ('10', predicted). The end is then known from the prefix's first bit.
            final int width = win >>> 8;
            final long d = m0 & 15; // prefix and delta of delta: 1 + d bits
            long e = p + 3 + width + d;
            final long q;
            final long wv;
            if (w >>> 62 != 3) {
                // 14 bits in [-8191, 8192]: sign-extend the field minus one, then add the one back.
                td += ((((w << 2) - (1L << 50)) >> 50) + 1) & m0;
                q = p + 1 + d;
                wv = w << (1 + d); // the value's control bits follow in the same load
            } else {
                // Delta-of-delta prefix '110' (17 bits), '1110' (20) or '1111' (64).
                final int ones = Long.numberOfLeadingZeros(~w);
                if (ones < 4) {
                    final int s1 = ones == 2 ? 20 : 24;
                    td += dod(w, ones + 1, s1 - ones - 1);
                    q = p + s1;
                    wv = w << s1; // at most 24 + 13 bits in
                } else {
                    td += BitReader.bits(bytes, p + 4, 64);
                    q = p + 68;
                    wv = BitReader.peek(bytes, q);
                }
                e = q + 2 + width;
            }
            tt += td;
            // Value: '0' same value, '10' previous window, '11' new window of 5 bits leading zeros
            // and 6 bits significant bits (0 meaning 64).
            if (wv >= 0) {
                e = q + 1;
            } else {
                final long px;
                final int n;
                if (wv << 1 >= 0) {
                    px = q + 2;
                    n = width;
                } else {
                    final int nl = (int) (wv >>> 57) & 31;
                    final int nm = (((int) (wv >>> 51) - 1) & 63) + 1;
                    final int ntr = 64 - nl - nm;
                    if (ntr < 0) {
                        final int sample = read + (j >>> 1) - from;
                        pending = q + 13 + nm > end ? truncated(sample) : badWindow(sample, nl, nm);
                        break;
                    }
                    win = nm << 8 | ntr;
                    px = q + 13;
                    e = px + nm;
                    n = nm;
                }
                // This load is off the position's dependency chain: only the value waits for it.
                // Shift counts use their low 6 bits: -n is 64 - n, win is the trailing zeros.
                final long x = n <= BitReader.PEEK_BITS
                        ? BitReader.peek(bytes, px) >>> -n
                        : BitReader.bits(bytes, px, n);
                v ^= x << win;
            }
            if (e > end) {
                pending = truncated(read + (j >>> 1) - from);
                break;
            }
            out[j] = tt;
            out[j + 1] = v;
            p = e;
            // The next sample's first bit, from the raw load: the chain does not wait for the swap.
            final long raw = BitReader.raw(bytes, e);
            m0 = BitReader.first(raw, e);
            w = BitReader.align(raw, e);
        }
        // Only decoded samples' state is kept: after corruption the iterator is finished anyway.
        final int k = j >>> 1;
        final int got = k - from;
        read += got;
        if (got > 0) {
            pos = (int) p;
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
        vbits = BitReader.bits(buf, pos, 64);
        pos += 64;
        samples[2 * k] = t;
        samples[2 * k + 1] = vbits;
        read = 1;
    }

    /** Go's {@code binary.ReadUvarint} over the bit stream, 8 bits per byte, advancing {@link #pos}. */
    private long readUvarint() {
        // Both varints start on a byte: the first at bit 0, the second after 64 bits of value.
        final byte[] bytes = buf;
        final int end = endBit >>> 3;
        int i = pos >>> 3;
        long x = 0;
        for (int s = 0; s < 70; s += 7) {
            if (i >= end) {
                pending = truncated(read);
                return 0;
            }
            final int c = bytes[i++];
            if (c >= 0) {
                if (s == 63 && c > 1) {
                    break;
                }
                pos = i << 3;
                return x | (long) c << s;
            }
            x |= (long) (c & 0x7f) << s;
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
