package io.thanosj.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Stateless reads from a big-endian bit stream in a byte array, addressed by bit index. The decoder
 * keeps its position in a local variable and asks for bits at it, so the hot loop holds no buffer
 * state in fields: {@link #peek} is one unaligned 8-byte load and a shift, small enough for the JIT to
 * inline (Prometheus's {@code readBitsFast} idea without the refill bookkeeping).
 *
 * <p>Callers guarantee that the 8 bytes from {@code bit >>> 3} lie in the array, typically by
 * decoding from a copy followed by zero padding; the array access still checks its index, so a
 * broken guarantee is an exception, never a read outside the array.
 */
final class BitReader {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bits guaranteed valid in a {@link #peek}: 64 minus the at most 7 bits of the shift. */
    static final int PEEK_BITS = 57;

    private BitReader() {}

    /**
     * 64 bits of the stream from bit {@code bit} of the array, left-aligned. The first
     * {@link #PEEK_BITS} are always valid; the low {@code bit & 7} bits are zero.
     */
    static long peek(byte[] b, long bit) {
        return (long) LONG_BE.get(b, (int) (bit >>> 3)) << (bit & 7);
    }

    /**
     * {@code n} bits, 1 to 64, from bit {@code bit}, as the low bits of the result. Beyond 57 bits
     * this also loads the 8 bytes that hold the last 32.
     */
    static long bits(byte[] b, long bit, int n) {
        if (n <= PEEK_BITS) {
            return peek(b, bit) >>> (64 - n);
        }
        final int hi = n - 32;
        return (peek(b, bit) >>> (64 - hi)) << 32 | peek(b, bit + hi) >>> 32;
    }

    /**
     * The 8 bytes from {@code bit >>> 3} as a little-endian word: {@link #first} tests one bit of it
     * before, and without waiting for, the byte swap that {@link #align} does to make the
     * {@link #peek} word. For decoders whose critical path goes through that one bit.
     */
    static long raw(byte[] b, long bit) {
        return (long) LONG_LE.get(b, (int) (bit >>> 3));
    }

    /** All ones if stream bit {@code bit} is set in its {@link #raw} word, else zero. */
    static long first(long raw, long bit) {
        // Stream bit `bit` is bit 7 - (bit & 7) of the lowest byte: shift it to the top.
        return raw << (56 + (bit & 7)) >> 63;
    }

    /** The {@link #peek} word from the {@link #raw} one. */
    static long align(long raw, long bit) {
        return Long.reverseBytes(raw) << (bit & 7);
    }
}
