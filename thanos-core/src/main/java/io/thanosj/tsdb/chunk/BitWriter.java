package io.thanosj.tsdb.chunk;

import java.util.Arrays;

/** Appends bits big-endian to a growable byte array (Prometheus's {@code bstream}). */
final class BitWriter {
    byte[] b;
    int len;        // bytes in use, the last one possibly partial
    int freeBits;   // unused low bits of b[len - 1]; 0 when byte-aligned

    BitWriter(int capacity) {
        b = new byte[Math.max(capacity, 16)];
    }

    /** Continues writing after {@code n} bytes of an existing stream whose last byte has {@code free} unused bits. */
    void reset(byte[] bytes, int n, int free) {
        b = bytes.length >= n + 16 ? bytes : Arrays.copyOf(bytes, n + 64);
        len = n;
        freeBits = free;
    }

    private void grow() {
        b = Arrays.copyOf(b, b.length * 2);
    }

    void writeBit(boolean bit) {
        if (freeBits == 0) {
            if (len == b.length) {
                grow();
            }
            b[len++] = 0;
            freeBits = 8;
        }
        if (bit) {
            b[len - 1] |= (byte) (1 << (freeBits - 1));
        }
        freeBits--;
    }

    /** Writes the low {@code n} bits of {@code v}, most significant first, n from 1 to 64. */
    void writeBits(long v, int n) {
        if (len + 9 > b.length) {
            grow();
        }
        if (n < 64) {
            v &= (1L << n) - 1;
        }
        while (n > 0) {
            if (freeBits == 0) {
                b[len++] = 0;
                freeBits = 8;
            }
            int k = Math.min(n, freeBits);
            int chunk = (int) (v >>> (n - k)) & ((1 << k) - 1);
            b[len - 1] |= (byte) (chunk << (freeBits - k));
            freeBits -= k;
            n -= k;
        }
    }

    void writeByte(int v) {
        writeBits(v & 0xff, 8);
    }
}
