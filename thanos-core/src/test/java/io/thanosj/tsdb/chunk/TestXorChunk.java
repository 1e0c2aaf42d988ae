package io.thanosj.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestXorChunk {
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    @Test
    void encodesHandComputedGoldenBytes() {
        // 1000 -> zigzag varint d00f; 1.0; delta 1000 -> e807; same value '0'; dod 0 '0';
        // 2.0 xor 1.0 = 0x7ff0.. -> '1' '1' leading=00001 sigbits=001011 then 11 ones; 6 bits padding.
        XorAppender a = new XorAppender();
        a.append(1000, 1.0);
        a.append(2000, 1.0);
        a.append(3000, 2.0);
        assertThat(HexFormat.of().formatHex(a.chunk().bytes())).isEqualTo("0003d00f3ff0000000000000e8073097ffc0");
    }

    @Test
    void keepsPrometheusEmptyTrailingByteAfterAlignedByteWrites() {
        // Go's bstream.writeByte always appends the next byte, so a chunk ending byte-aligned has an
        // empty last byte: one sample is header, varint, 8 value bytes and a 0.
        XorAppender a = new XorAppender();
        a.append(1000, 1.0);
        assertThat(HexFormat.of().formatHex(a.chunk().bytes())).isEqualTo("0001d00f3ff000000000000000");
        XorAppender b = a.chunk().appender();
        b.append(2000, 1.0);
        a.append(2000, 1.0);
        assertThat(b.chunk().bytes()).isEqualTo(a.chunk().bytes());
    }

    @Test
    void roundTripsSpecialValuesBitExactly() {
        double[] values = {
            1, 1, Double.longBitsToDouble(STALE_NAN_BITS), Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 4.9e-322, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.longBitsToDouble(0x7ff8000000000001L), 1e-300, 123456789.123, 0.1, 0.1, 0.2
        };
        long[] ts = new long[values.length];
        long t = -1_000_000;
        long step = 15_000;
        for (int i = 0; i < ts.length; i++) {
            ts[i] = t;
            t += step;
            step += (i % 3 == 0 ? 1 : -7); // non-zero delta-of-deltas
        }
        assertRoundTrip(ts, values);
    }

    @Test
    void roundTripsEveryDeltaOfDeltaWidthIncludingBoundaries() {
        long[] dods = {0, 1, -1, 8191, 8192, -8191, -8192, 65535, 65536, -65535, -65536, 524287, 524288,
            -524287, -524288, 1L << 40, -(1L << 40), Long.MAX_VALUE / 4, 3};
        long[] ts = new long[dods.length + 2];
        ts[0] = Long.MIN_VALUE / 4;
        ts[1] = ts[0] + 100;
        long delta = 100;
        for (int i = 0; i < dods.length; i++) {
            delta += dods[i];
            ts[i + 2] = ts[i + 1] + delta;
        }
        double[] v = new double[ts.length];
        Arrays.fill(v, 7.5);
        assertRoundTrip(ts, v);
    }

    @Test
    void roundTripsRandomSeriesAndSeeks() {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(250);
            long[] ts = new long[n];
            double[] v = new double[n];
            long t = r.nextLong() >> 20;
            for (int i = 0; i < n; i++) {
                t += r.nextInt(4) == 0 ? r.nextInt(1 << 22) : 15_000 + r.nextInt(3) - 1;
                ts[i] = t;
                v[i] = switch (r.nextInt(5)) {
                    case 0 -> r.nextDouble();
                    case 1 -> i > 0 ? v[i - 1] : 0;
                    case 2 -> r.nextInt(1000);
                    case 3 -> Double.longBitsToDouble(r.nextLong());
                    default -> (i > 0 ? v[i - 1] : 0) + 1;
                };
            }
            XorChunk c = assertRoundTrip(ts, v);
            SampleIterator it = c.iterator();
            int k = r.nextInt(n);
            assertThat(it.seek(ts[k])).isTrue();
            assertThat(it.t()).isEqualTo(ts[k]);
            assertThat(it.seek(ts[k] - 1)).isTrue(); // stays put
            assertThat(it.t()).isEqualTo(ts[k]);
            assertThat(it.seek(ts[n - 1] + 1)).isFalse();
            assertThat(it.seek(Long.MIN_VALUE)).isFalse(); // exhausted stays exhausted
        }
    }

    @Test
    void continuingAppenderDecodesLikeAFreshOne() {
        Random r = new Random(7);
        for (int split = 0; split <= 5; split++) {
            XorAppender a = new XorAppender();
            long[] ts = new long[12];
            double[] v = new double[12];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = i * 1000L + r.nextInt(10);
                v[i] = i % 4 == 0 ? v[Math.max(0, i - 1)] : r.nextGaussian();
                if (i < split) {
                    a.append(ts[i], v[i]);
                }
            }
            XorAppender b = a.chunk().appender();
            for (int i = split; i < ts.length; i++) {
                b.append(ts[i], v[i]);
            }
            assertSamples(b.chunk(), ts, v);
        }
    }

    @Test
    void emptyChunkHasNoSamplesAndReusedIteratorsReset() {
        XorAppender a = new XorAppender();
        XorChunk empty = a.chunk();
        assertThat(empty.numSamples()).isZero();
        SampleIterator it = empty.iterator();
        assertThat(it.next()).isFalse();
        a.append(5, 1.5);
        SampleIterator again = a.chunk().iterator(it);
        assertThat(again).isSameAs(it);
        assertThat(again.next()).isTrue();
        assertThat(again.t()).isEqualTo(5);
        assertThat(again.v()).isEqualTo(1.5);
        assertThat(again.next()).isFalse();
        a.reset();
        assertThat(a.chunk().bytes()).containsExactly(0, 0);
    }

    @Test
    void truncatedOrGarbledChunkThrowsNamingOrigin() {
        XorAppender a = new XorAppender();
        for (int i = 0; i < 50; i++) {
            a.append(i * 15_000L, Math.sin(i));
        }
        byte[] full = a.chunk().bytes();
        for (int cut = 2; cut < full.length - 1; cut += 3) {
            XorChunk c = XorChunk.wrap(Arrays.copyOf(full, cut), 0, cut, "blk/chunks/000001", 123);
            assertThatThrownBy(() -> drain(c.iterator()))
                    .isInstanceOf(ThanosException.class)
                    .hasMessageContaining("decode XOR chunk in blk/chunks/000001 at offset 123");
            // Inside a larger buffer (a mapped segment) the decoder reads ahead into the next bytes
            // but must not use them.
            byte[] inSegment = new byte[cut + 64];
            Arrays.fill(inSegment, (byte) 0xa5);
            System.arraycopy(full, 0, inSegment, 7, cut);
            XorChunk s = XorChunk.wrap(inSegment, 7, cut, "blk/chunks/000001", 123);
            assertThatThrownBy(() -> drain(s.iterator())).isInstanceOf(ThanosException.class)
                    .hasMessageContaining("unexpected end of chunk data");
        }
        byte[] lies = full.clone();
        lies[0] = (byte) 0xff; // claims 65k samples
        assertThatThrownBy(() -> drain(XorChunk.wrap(lies).iterator())).isInstanceOf(ThanosException.class)
                .hasMessageContaining("unexpected end of chunk data");
        assertThatThrownBy(() -> XorChunk.wrap(new byte[1])).isInstanceOf(ThanosException.class);
    }

    @Test
    void bitReaderReadsAcrossWordBoundaries() {
        BitWriter w = new BitWriter(4);
        Random r = new Random(3);
        int[] widths = new int[500];
        long[] vals = new long[500];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = 1 + r.nextInt(64);
            vals[i] = widths[i] == 64 ? r.nextLong() : r.nextLong() & ((1L << widths[i]) - 1);
            w.bits(vals[i], widths[i]);
        }
        // Every width at every alignment, up to the stream's last bit, from a zero-padded copy.
        byte[] bytes = Arrays.copyOf(w.array(), w.length() + 8);
        long bit = 0;
        for (int i = 0; i < widths.length; i++) {
            assertThat(BitReader.bits(bytes, bit, widths[i])).as("value %d of width %d", i, widths[i]).isEqualTo(vals[i]);
            long raw = BitReader.raw(bytes, bit);
            assertThat(BitReader.align(raw, bit)).isEqualTo(BitReader.peek(bytes, bit));
            assertThat(BitReader.first(raw, bit)).isEqualTo(BitReader.peek(bytes, bit) >> 63);
            bit += widths[i];
        }
        assertThat(BitReader.peek(bytes, (long) w.length() * 8)).isZero();
        // A broken bounds guarantee is an exception, never a read outside the array.
        assertThatThrownBy(() -> BitReader.peek(bytes, (long) (bytes.length - 7) * 8)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bitWriterMatchesGoBstreamByteForByte() {
        // A transcription of Go's bstream writeBit/writeByte/writeBits as the reference.
        Random r = new Random(9);
        for (int round = 0; round < 300; round++) {
            GoBstream ref = new GoBstream();
            BitWriter w = new BitWriter(1);
            int ops = r.nextInt(40);
            for (int i = 0; i < ops; i++) {
                int n = r.nextInt(4) == 0 ? 8 * (1 + r.nextInt(8)) : 1 + r.nextInt(64);
                long v = r.nextLong();
                if (n == 1 && r.nextBoolean()) {
                    ref.writeBit(v < 0);
                    w.bit(v < 0);
                } else {
                    ref.writeBits(v, n);
                    w.bits(v, n);
                }
            }
            assertThat(Arrays.copyOf(w.array(), w.length())).isEqualTo(ref.bytes());
        }
    }

    private static final class GoBstream {
        byte[] stream = new byte[0];
        int count;

        void append() {
            stream = Arrays.copyOf(stream, stream.length + 1);
        }

        void writeBit(boolean bit) {
            if (count == 0) {
                append();
                count = 8;
            }
            if (bit) {
                stream[stream.length - 1] |= (byte) (1 << (count - 1));
            }
            count--;
        }

        void writeByte(int byt) {
            if (count == 0) {
                append();
                count = 8;
            }
            stream[stream.length - 1] |= (byte) ((byt & 0xff) >>> (8 - count));
            append();
            stream[stream.length - 1] = (byte) (byt << count);
        }

        void writeBits(long u, int nbits) {
            u <<= 64 - nbits;
            while (nbits >= 8) {
                writeByte((int) (u >>> 56));
                u <<= 8;
                nbits -= 8;
            }
            while (nbits > 0) {
                writeBit(u < 0);
                u <<= 1;
                nbits--;
            }
        }

        byte[] bytes() {
            return stream;
        }
    }

    private static void drain(SampleIterator it) {
        while (it.next()) {
            it.v();
        }
    }

    static XorChunk assertRoundTrip(long[] ts, double[] v) {
        XorAppender a = new XorAppender();
        for (int i = 0; i < ts.length; i++) {
            a.append(ts[i], v[i]);
        }
        XorChunk c = a.chunk();
        assertThat(c.numSamples()).isEqualTo(ts.length);
        assertSamples(c, ts, v);
        return c;
    }

    static void assertSamples(XorChunk c, long[] ts, double[] v) {
        SampleIterator it = c.iterator();
        for (int i = 0; i < ts.length; i++) {
            assertThat(it.next()).as("sample %d", i).isTrue();
            assertThat(it.t()).as("t %d", i).isEqualTo(ts[i]);
            assertThat(Double.doubleToRawLongBits(it.v())).as("v %d", i).isEqualTo(Double.doubleToRawLongBits(v[i]));
        }
        assertThat(it.next()).isFalse();
    }
}
