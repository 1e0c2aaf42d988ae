package io.thanosj.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batch decoder against a plain bit-by-bit decoder written from the format description
 * (prometheus/prometheus {@code tsdb/docs/format/chunks.md} and its xorIterator): same samples on valid
 * and corrupt chunks, and an error exactly where the reference runs out of bits.
 */
@Tag("unit")
class TestXorIterator {

    @Test
    void chunksLongerThanABatchDecodeAndSeekAcrossBatches() {
        Random r = new Random(11);
        int n = 3 * XorIterator.BATCH + 17;
        long[] ts = scrapeTimes(r, n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 3 == 0 ? r.nextInt(100) : i;
        }
        XorChunk c = TestXorChunk.assertRoundTrip(ts, v);
        for (int k : new int[] {0, XorIterator.BATCH - 1, XorIterator.BATCH, XorIterator.BATCH + 1, 2 * XorIterator.BATCH + 5, n - 1}) {
            SampleIterator it = c.iterator();
            assertThat(it.seek(ts[k] - 1)).isTrue();
            assertThat(it.t()).isEqualTo(ts[k]);
            assertThat(it.v()).isEqualTo(v[k]);
            for (int i = k + 1; i < n; i++) {
                assertThat(it.next()).isTrue();
                assertThat(it.t()).as("t %d after seek to %d", i, k).isEqualTo(ts[i]);
                assertThat(it.v()).isEqualTo(v[i]);
            }
            assertThat(it.next()).isFalse();
            assertThat(it.t()).as("the last sample stays current").isEqualTo(ts[n - 1]);
        }
    }

    /** Timestamps 15s apart with a few milliseconds of scrape jitter. */
    private static long[] scrapeTimes(Random r, int n) {
        long[] ts = new long[n];
        long t = 1_600_000_000_000L;
        for (int i = 0; i < n; i++) {
            t += 15_000 + r.nextInt(7) - 3;
            ts[i] = t;
        }
        return ts;
    }

    @Test
    void drainCopiesWhatNextVisitsAcrossBatches() {
        Random r = new Random(23);
        for (int n : new int[] {1, 2, 119, XorIterator.BATCH, XorIterator.BATCH + 1, 3 * XorIterator.BATCH + 17}) {
            long[] ts = scrapeTimes(r, n);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = i % 5 == 0 ? Double.NaN : r.nextGaussian();
            }
            XorChunk c = TestXorChunk.assertRoundTrip(ts, v);
            io.thanosj.model.DrainCheck.check(c::iterator, r, 300);
        }
    }

    @Test
    void reusedIteratorDecodesChunksOfAnySize() {
        Random r = new Random(5);
        SampleIterator it = null;
        for (int n : new int[] {1, 700, 2, 0, 300, 3, XorIterator.BATCH, XorIterator.BATCH + 1, 1}) {
            long[] ts = new long[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = (i == 0 ? r.nextInt(1000) : ts[i - 1]) + 1 + r.nextInt(30_000);
                v[i] = r.nextGaussian();
            }
            XorAppender a = new XorAppender();
            for (int i = 0; i < n; i++) {
                a.append(ts[i], v[i]);
            }
            SampleIterator again = a.chunk().iterator(it);
            if (it != null) {
                assertThat(again).isSameAs(it);
            }
            it = again;
            // Leave the previous chunk half read: reset must not carry anything over.
            for (int i = 0; i < n; i++) {
                assertThat(it.next()).isTrue();
                assertThat(it.t()).isEqualTo(ts[i]);
                assertThat(Double.doubleToRawLongBits(it.v())).isEqualTo(Double.doubleToRawLongBits(v[i]));
                if (i == n / 2 && n > 100) {
                    break;
                }
            }
        }
    }

    @Test
    void samplesBeforeCorruptionAreServedThenOneError() {
        Random r = new Random(3);
        int n = 2 * XorIterator.BATCH + 40;
        XorAppender a = new XorAppender();
        long[] ts = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = i * 15_000L + r.nextInt(3);
            v[i] = Math.round(r.nextGaussian() * 1000) / 100.0;
            a.append(ts[i], v[i]);
        }
        byte[] full = a.chunk().bytes();
        // Cut the stream inside the second batch: the first batch and part of the second come out.
        int cut = full.length * 3 / 4;
        Reference ref = Reference.decode(Arrays.copyOf(full, cut));
        assertThat(ref.end).isEqualTo(Reference.End.EOF);
        assertThat(ref.ts.size()).isBetween(XorIterator.BATCH + 1, n - 1);
        SampleIterator it = XorChunk.wrap(Arrays.copyOf(full, cut), 0, cut, "01ABC/chunks/000002", 77).iterator();
        for (int i = 0; i < ref.ts.size(); i++) {
            assertThat(it.next()).isTrue();
            assertThat(it.t()).isEqualTo(ts[i]);
            assertThat(it.v()).isEqualTo(v[i]);
        }
        assertThatThrownBy(it::next).isInstanceOf(ThanosException.class)
                .hasMessage("decode XOR chunk in 01ABC/chunks/000002 at offset 77: unexpected end of chunk data (sample "
                        + (ref.ts.size() + 1) + " of " + n + ")");
        assertThat(it.next()).isFalse();
        assertThat(it.seek(Long.MIN_VALUE)).isFalse();
    }

    @Test
    void longestSamplesFitTheCopiedStream() {
        // 10-byte varints for the first time and the second's delta, 64-bit deltas of deltas and
        // 64-bit value windows: the longest samples there are.
        long[] ts = {Long.MIN_VALUE + 1, Long.MAX_VALUE - 10, Long.MIN_VALUE + 7, Long.MAX_VALUE - 3, 0};
        double[] v = new double[ts.length];
        Random r = new Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.longBitsToDouble(r.nextLong() | 1L | 1L << 63);
        }
        for (int n = 1; n <= ts.length; n++) {
            long[] t = Arrays.copyOf(ts, n);
            double[] x = Arrays.copyOf(v, n);
            XorAppender a = new XorAppender();
            for (int i = 0; i < n; i++) {
                a.append(t[i], x[i]);
            }
            XorChunk c = a.chunk();
            // Junk after the chunk's own bytes in the same record: never decoded into a sample.
            byte[] padded = Arrays.copyOf(c.bytes(), c.length() + 300);
            Arrays.fill(padded, c.length(), padded.length, (byte) 0xff);
            TestXorChunk.assertSamples(XorChunk.wrap(padded), t, x);
            TestXorChunk.assertSamples(c, t, x);
        }
    }

    @Test
    void randomCorruptionDecodesLikeTheReferenceOrFailsWhereItDoes() {
        Random r = new Random(2024);
        int errors = 0;
        int clean = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] chunk = randomChunk(r);
            byte[] bad = mutate(chunk, r);
            Reference ref = Reference.decode(bad);
            List<Long> ts = new ArrayList<>();
            List<Long> vs = new ArrayList<>();
            ThanosException err = null;
            SampleIterator it = XorChunk.wrap(bad, 0, bad.length, "blk/chunks/000001", round).iterator();
            try {
                while (it.next()) {
                    ts.add(it.t());
                    vs.add(Double.doubleToRawLongBits(it.v()));
                    assertThat(ts.size()).as("round %d decodes no more than the count", round).isLessThanOrEqualTo(0xffff);
                }
            } catch (ThanosException e) {
                err = e;
            }
            assertThat(ts).as("round %d timestamps", round).isEqualTo(ref.ts);
            assertThat(vs).as("round %d values", round).isEqualTo(ref.vs);
            if (ref.end == Reference.End.OK) {
                assertThat(err).as("round %d", round).isNull();
                clean++;
            } else {
                assertThat(err).as("round %d ends with %s", round, ref.end).isNotNull();
                assertThat(err.getMessage()).startsWith("decode XOR chunk in blk/chunks/000001 at offset " + round + ": ")
                        .endsWith("(sample " + (ref.ts.size() + 1) + " of " + ref.total + ")");
                errors++;
            }
        }
        // Both outcomes must have been exercised.
        assertThat(errors).isGreaterThan(500);
        assertThat(clean).isGreaterThan(200);
    }

    private static byte[] randomChunk(Random r) {
        int n = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(4);
            case 1 -> 1 + r.nextInt(130);
            case 2 -> XorIterator.BATCH - 2 + r.nextInt(5);
            default -> 1 + r.nextInt(700);
        };
        XorAppender a = new XorAppender();
        long t = r.nextBoolean() ? r.nextLong() >> r.nextInt(40) : 1_700_000_000_000L;
        double v = r.nextInt(100);
        for (int i = 0; i < n; i++) {
            t += switch (r.nextInt(8)) {
                case 0 -> r.nextInt(1 << 20);
                case 1 -> 15_000;
                case 2 -> r.nextLong() >> 20;
                default -> 15_000 + r.nextInt(9) - 4;
            };
            v = switch (r.nextInt(6)) {
                case 0 -> v;
                case 1 -> Double.longBitsToDouble(r.nextLong());
                case 2 -> v + r.nextInt(50);
                default -> Math.round((v + r.nextGaussian()) * 100) / 100.0;
            };
            a.append(t, v);
        }
        return a.chunk().bytes();
    }

    private static byte[] mutate(byte[] chunk, Random r) {
        byte[] b = chunk.clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int bit = 16 + r.nextInt(Math.max(1, b.length * 8 - 16));
                    if (bit < b.length * 8) {
                        b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                    }
                }
            }
            case 1 -> b = Arrays.copyOf(b, 2 + r.nextInt(b.length - 1)); // truncated
            case 2 -> { // more samples claimed than written
                int n = Math.min(0xffff, ((b[0] & 0xff) << 8 | (b[1] & 0xff)) + 1 + r.nextInt(r.nextBoolean() ? 3 : 70000));
                b[0] = (byte) (n >>> 8);
                b[1] = (byte) n;
            }
            case 3 -> { // junk after the stream
                int old = b.length;
                b = Arrays.copyOf(b, old + 1 + r.nextInt(40));
                for (int i = old; i < b.length; i++) {
                    b[i] = (byte) r.nextInt();
                }
                int n = Math.min(0xffff, ((b[0] & 0xff) << 8 | (b[1] & 0xff)) + r.nextInt(4));
                b[0] = (byte) (n >>> 8);
                b[1] = (byte) n;
            }
            case 4 -> { // random bytes over a stretch
                int from = 2 + r.nextInt(Math.max(1, b.length - 2));
                for (int i = from; i < Math.min(b.length, from + 1 + r.nextInt(6)); i++) {
                    b[i] = (byte) r.nextInt();
                }
            }
            default -> { } // intact
        }
        return b;
    }

    /** Plain bit-by-bit decoding, one sample at a time, as the format describes it. */
    static final class Reference {
        enum End { OK, EOF, OVERFLOW, BAD_WINDOW }

        final List<Long> ts = new ArrayList<>();
        final List<Long> vs = new ArrayList<>();
        End end = End.OK;
        int total;

        private final byte[] b;
        private long bit = 16;

        private Reference(byte[] b) {
            this.b = b;
        }

        static Reference decode(byte[] chunk) {
            Reference d = new Reference(chunk);
            d.total = (chunk[0] & 0xff) << 8 | (chunk[1] & 0xff);
            try {
                d.run();
            } catch (Stop s) {
                d.end = s.end;
            }
            return d;
        }

        private static final class Stop extends RuntimeException {
            final End end;

            Stop(End end) {
                super(null, null, false, false);
                this.end = end;
            }
        }

        private int readBit() {
            if (bit >= (long) b.length * 8) {
                throw new Stop(End.EOF);
            }
            int x = (b[(int) (bit >>> 3)] >>> (7 - (bit & 7))) & 1;
            bit++;
            return x;
        }

        private long readBits(int n) {
            long x = 0;
            for (int i = 0; i < n; i++) {
                x = x << 1 | readBit();
            }
            return x;
        }

        private long readUvarint() {
            long x = 0;
            int s = 0;
            for (int i = 0; i < 10; i++) {
                int c = (int) readBits(8);
                if (c < 0x80) {
                    if (i == 9 && c > 1) {
                        throw new Stop(End.OVERFLOW);
                    }
                    return x | (long) c << s;
                }
                x |= (long) (c & 0x7f) << s;
                s += 7;
            }
            throw new Stop(End.OVERFLOW);
        }

        private void run() {
            long t = 0;
            long delta = 0;
            long v = 0;
            int leading = 0;
            int trailing = 0;
            for (int i = 0; i < total; i++) {
                if (i == 0) {
                    long ux = readUvarint();
                    t = (ux >>> 1) ^ -(ux & 1);
                    v = readBits(64);
                    ts.add(t);
                    vs.add(v);
                    continue;
                }
                if (i == 1) {
                    delta = readUvarint();
                } else {
                    int ones = 0;
                    while (ones < 4 && readBit() == 1) {
                        ones++;
                    }
                    long dod = 0;
                    if (ones == 4) {
                        dod = readBits(64);
                    } else if (ones > 0) {
                        int sz = new int[] {0, 14, 17, 20}[ones];
                        dod = readBits(sz);
                        if (dod > 1L << (sz - 1)) {
                            dod -= 1L << sz;
                        }
                    }
                    delta += dod;
                }
                t += delta;
                if (readBit() == 1) {
                    if (readBit() == 1) {
                        leading = (int) readBits(5);
                        int mbits = (int) readBits(6);
                        if (mbits == 0) {
                            mbits = 64;
                        }
                        trailing = 64 - leading - mbits;
                        if (trailing < 0) {
                            throw new Stop(End.BAD_WINDOW); // Prometheus decodes garbage here
                        }
                    }
                    v ^= readBits(64 - leading - trailing) << trailing;
                }
                ts.add(t);
                vs.add(v);
            }
        }
    }
}
