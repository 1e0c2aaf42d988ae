package io.thanosj.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Appends bits big-endian to a growable byte array through a 64-bit accumulator: bits collect in a
 * {@code long} and reach the array 8 bytes at a time, at a position that only moves forward, so
 * writes never re-load bytes just stored (which would defeat store-to-load forwarding).
 * {@link #array} puts the pending bits in place before the bytes are read.
 *
 * <p>The resulting bytes are those of Prometheus's {@code bstream}, including its quirk: a whole-
 * byte {@code writeBits} that starts byte-aligned leaves an empty byte after it (Go's
 * {@code writeByte} always appends the next byte). That byte is part of the chunk, so it is
 * reproduced: {@link #length} counts it when the last write was such a {@link #bits} call. Writes
 * that are never last in a sample may use {@link #raw}, which sets no such byte.
 */
final class BitWriter {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] b;
    private int pos;        // byte where the accumulator starts
    private long acc;       // pending bits, left-aligned
    private int n;          // pending bits, 0 to 63
    private boolean empty;  // the last write leaves Go's empty trailing byte

    BitWriter(int capacity) {
        b = new byte[Math.max(capacity, 16)];
    }

    /**
     * Continues after {@code bits} bits of an existing stream in {@code bytes}; {@code emptyTail}
     * when it ends with Go's empty trailing byte.
     */
    void reset(byte[] bytes, int bits, boolean emptyTail) {
        b = bytes;
        pos = bits >>> 3;
        n = bits & 7;
        acc = n == 0 ? 0 : (long) (b[pos] & (0xff00 >>> n) & 0xff) << 56;
        empty = emptyTail;
    }

    /** Clears what was written and continues after the first {@code bytes} bytes, which are zeroed. */
    void rewind(int bytes) {
        Arrays.fill(b, 0, Math.min(b.length, Math.max(length(), pos + 8)), (byte) 0);
        pos = bytes;
        acc = 0;
        n = 0;
        empty = false;
    }

    /** Bytes in use, Go's empty trailing byte included. */
    int length() {
        return ((bitLength() + 7) >>> 3) + (empty ? 1 : 0);
    }

    /** Bits written. */
    int bitLength() {
        return (pos << 3) + n;
    }

    /** The array holding the {@link #length} bytes written, valid until the next write. */
    byte[] array() {
        ensure(pos + 8);
        LONG_BE.set(b, pos, acc);
        return b;
    }

    /** Go's {@code writeBit}. */
    void bit(boolean set) {
        raw(set ? 1 : 0, 1);
    }

    /**
     * Go's {@code writeBits}: the low {@code k} bits of {@code v}, most significant first, k from 1
     * to 64. Leaves the empty trailing byte when it starts aligned and writes whole bytes.
     */
    void bits(long v, int k) {
        final boolean aligned = (n & 7) == 0;
        raw(v, k);
        empty = aligned && (k & 7) == 0;
    }

    /** The low {@code k} bits of {@code v}, 1 to 64, without Go's empty trailing byte. */
    void raw(long v, int k) {
        final long left = v << (64 - k);
        final int have = n;
        final int free = 64 - have;
        empty = false;
        if (k < free) {
            acc |= left >>> have;
            n = have + k;
            return;
        }
        ensure(pos + 16);
        LONG_BE.set(b, pos, have == 0 ? left : acc | (left >>> have));
        pos += 8;
        final int rest = k - free;
        acc = rest == 0 ? 0 : left << free;
        n = rest;
    }

    private void ensure(int size) {
        if (size > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, size));
        }
    }
}
