package io.thanosj.tsdb.chunk;

import java.util.Arrays;

/**
 * Appends bits big-endian to a growable byte array, mirroring Prometheus's {@code bstream} exactly,
 * including its quirk that writing a whole byte while byte-aligned leaves an empty trailing byte
 * ({@code freeBits == 8}). That byte is part of the chunk's bytes, so reproducing it keeps chunks
 * byte-identical with Prometheus's.
 */
final class BitWriter {
    byte[] b;
    int len;        // bytes in use
    int freeBits;   // unused low bits of b[len - 1], 0 to 8

    BitWriter(int capacity) {
        b = new byte[Math.max(capacity, 16)];
    }

    /** Continues writing after {@code n} bytes of an existing stream whose last byte has {@code free} unused bits. */
    void reset(byte[] bytes, int n, int free) {
        b = bytes.length >= n + 16 ? bytes : Arrays.copyOf(bytes, n + 64);
        len = n;
        freeBits = free;
    }

    private void append(int v) {
        if (len == b.length) {
            b = Arrays.copyOf(b, b.length * 2);
        }
        b[len++] = (byte) v;
    }

    void writeBit(boolean bit) {
        if (freeBits == 0) {
            append(0);
            freeBits = 8;
        }
        if (bit) {
            b[len - 1] |= (byte) (1 << (freeBits - 1));
        }
        freeBits--;
    }

    /** Go's {@code bstream.writeByte}: fills the current byte and always appends the next one. */
    void writeByte(int v) {
        if (freeBits == 0) {
            append(0);
            freeBits = 8;
        }
        v &= 0xff;
        b[len - 1] |= (byte) (v >>> (8 - freeBits));
        append((v << freeBits) & 0xff);
    }

    /** Writes the low {@code n} bits of {@code v}, most significant first, n from 1 to 64. */
    void writeBits(long v, int n) {
        long u = v << (64 - n);
        while (n >= 8) {
            writeByte((int) (u >>> 56));
            u <<= 8;
            n -= 8;
        }
        while (n > 0) {
            writeBit(u < 0);
            u <<= 1;
            n--;
        }
    }
}
