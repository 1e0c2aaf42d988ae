package io.thanosj.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends bits big-endian to a growable byte array: each write ORs up to 57 bits into the 8 bytes
 * at the current byte with one unaligned load and store (the mirror of {@link BitReader#peek}),
 * relying on every byte past the written bits being zero.
 *
 * <p>The resulting bytes are those of Prometheus's {@code bstream}, including its quirk: a whole-
 * byte {@code writeBits} that starts byte-aligned leaves an empty byte after it (Go's
 * {@code writeByte} always appends the next byte). That byte is part of the chunk, so it is
 * reproduced: {@link #length} counts it when the last write was such a {@link #bits} call. Writes
 * that are never last in a sample may use {@link #raw}, which sets no such byte.
 */
final class BitWriter {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    byte[] b;
    private int bit;        // bits written, from the start of the array
    private boolean empty;  // the last write leaves Go's empty trailing byte

    BitWriter(int capacity) {
        b = new byte[Math.max(capacity, 16)];
    }

    /**
     * Continues after {@code bits} bits of an existing stream in {@code bytes}, whose bytes past
     * those bits must be zero; {@code emptyTail} when it ends with Go's empty trailing byte.
     */
    void reset(byte[] bytes, int bits, boolean emptyTail) {
        b = bytes;
        bit = bits;
        empty = emptyTail;
    }

    /** Clears the first {@code bytes} bytes and writes from there; the rest must already be zero. */
    void rewind(int bytes) {
        Arrays.fill(b, 0, Math.min(b.length, length()), (byte) 0);
        bit = bytes << 3;
        empty = false;
    }

    /** Bytes in use, Go's empty trailing byte included. */
    int length() {
        return ((bit + 7) >>> 3) + (empty ? 1 : 0);
    }

    /** Bits written. */
    int bitLength() {
        return bit;
    }

    /** Go's {@code writeBit}. */
    void bit(boolean set) {
        raw(set ? 1 : 0, 1);
    }

    /**
     * Go's {@code writeBits}: the low {@code n} bits of {@code v}, most significant first, n from 1
     * to 64. Leaves the empty trailing byte when it starts aligned and writes whole bytes.
     */
    void bits(long v, int n) {
        final boolean aligned = (bit & 7) == 0;
        raw(v, n);
        empty = aligned && (n & 7) == 0;
    }

    /** The low {@code n} bits of {@code v}, 1 to 64, without Go's empty trailing byte. */
    void raw(long v, int n) {
        if (n > BitReader.PEEK_BITS) {
            raw(v >>> 32, n - 32);
            raw(v & 0xffffffffL, 32);
            return;
        }
        final int i = bit >>> 3;
        if (i + 8 > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, i + 16));
        }
        final long cur = (long) LONG_BE.get(b, i);
        LONG_BE.set(b, i, cur | (v << (64 - n)) >>> (bit & 7));
        bit += n;
        empty = false;
    }
}
