package io.thanosj.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Stateless reads from a big-endian bit stream in a byte array, addressed by a byte base and a bit
 * position. The decoder keeps its position in a local variable and asks for bits at it, so the hot
 * loop holds no buffer state in fields: {@link #peek} is one unaligned 8-byte load and a shift,
 * small enough for the JIT to inline (Prometheus's {@code readBitsFast} idea without the refill
 * bookkeeping). Reads may look past the end of the stream but never past the array, where the missing
 * bytes read as zero; callers compare their position with the stream's end after each sample, so
 * bits beyond it are never trusted.
 */
final class BitReader {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bits guaranteed valid in a {@link #peek}: 64 minus the at most 7 bits of the shift. */
    static final int PEEK_BITS = 57;

    private BitReader() {}

    /**
     * 64 bits of the stream from bit {@code bit} of the byte at {@code base}, left-aligned. The
     * first {@link #PEEK_BITS} are always valid; the low {@code bit & 7} bits are zero.
     */
    static long peek(byte[] b, int base, int bit) {
        final int i = base + (bit >>> 3);
        final long w = i <= b.length - 8 ? (long) LONG_BE.get(b, i) : tail(b, i);
        return w << (bit & 7);
    }

    /**
     * As {@link #peek} at absolute bit {@code bit} of the array, for callers that have checked that
     * the 8 bytes from {@code bit >>> 3} lie in the array: no padding test and no base to add on the
     * caller's dependency chain. The array access itself still checks its index.
     */
    static long peekIn(byte[] b, long bit) {
        return (long) LONG_BE.get(b, (int) (bit >>> 3)) << (bit & 7);
    }

    /**
     * The 8 bytes from {@code bit >>> 3} as a little-endian word, under the terms of {@link #peekIn}:
     * {@link #first} tests a bit of it without the byte swap, {@link #align} turns it into the
     * {@link #peekIn} word. For callers whose dependency chain goes through one bit of the load.
     */
    static long raw(byte[] b, long bit) {
        return (long) LONG_LE.get(b, (int) (bit >>> 3));
    }

    /** All ones if stream bit {@code bit} is set in its {@link #raw} word, else zero. */
    static long first(long raw, long bit) {
        // The bit is bit 7 - (bit & 7) of the lowest byte.
        return raw << (56 + (bit & 7)) >> 63;
    }

    /** The {@link #peekIn} word from a {@link #raw} one. */
    static long align(long raw, long bit) {
        return Long.reverseBytes(raw) << (bit & 7);
    }

    /** As {@link #bits}, under the terms of {@link #peekIn}, for the 8 bytes at its last 32 bits too. */
    static long bitsIn(byte[] b, long bit, int n) {
        if (n <= PEEK_BITS) {
            return peekIn(b, bit) >>> (64 - n);
        }
        final int hi = n - 32;
        return (peekIn(b, bit) >>> (64 - hi)) << 32 | peekIn(b, bit + hi) >>> 32;
    }

    /** The array's last bytes, zero-padded to 8; all zero beyond the array. */
    private static long tail(byte[] b, int i) {
        final int last = b.length - 8;
        if (last >= 0) {
            final int sh = i - last; // 1 to 7 bytes past the last full word, or more
            return sh >= 8 ? 0 : (long) LONG_BE.get(b, last) << (sh << 3);
        }
        long w = 0;
        for (int k = 0; k < 8; k++) {
            w = w << 8 | (i + k < b.length ? b[i + k] & 0xff : 0);
        }
        return w;
    }

    /** {@code n} bits, 1 to 64, from bit {@code bit}, as the low bits of the result. */
    static long bits(byte[] b, int base, int bit, int n) {
        if (n <= PEEK_BITS) {
            return peek(b, base, bit) >>> (64 - n);
        }
        final int hi = n - 32;
        return (peek(b, base, bit) >>> (64 - hi)) << 32 | peek(b, base, bit + hi) >>> 32;
    }
}
