package io.thanosj.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a big-endian bit stream from a byte array. Up to 64 unread bits sit left-aligned in a
 * {@code long}; {@link #readBits} takes them with one shift when enough are buffered (the small
 * method the JIT inlines) and otherwise falls to {@link #readBitsSlow}, which refills 8 bytes at a
 * time. Running out of bits throws the stackless {@link EndOfChunkException}, so a truncated chunk can
 * never loop.
 */
final class BitReader {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] b;
    private int start;
    private int pos;      // next byte to load into the buffer
    private int end;
    private long buffer;  // unread bits, left-aligned; bits below `valid` are zero
    private int valid;

    void reset(byte[] bytes, int from, int to) {
        b = bytes;
        start = from;
        pos = from;
        end = to;
        buffer = 0;
        valid = 0;
    }

    /** Reads {@code n} bits, 1 to 64, as the low bits of the result. */
    long readBits(int n) {
        if (n <= valid) {
            long v = buffer >>> (64 - n);
            buffer = n == 64 ? 0 : buffer << n;
            valid -= n;
            return v;
        }
        return readBitsSlow(n);
    }

    boolean readBit() {
        if (valid > 0) {
            boolean bit = buffer < 0;
            buffer <<= 1;
            valid--;
            return bit;
        }
        return readBitsSlow(1) != 0;
    }

    private long readBitsSlow(int n) {
        refill();
        if (n <= valid) {
            return readBits(n);
        }
        if (pos >= end) {
            throw EndOfChunkException.INSTANCE;
        }
        // More than 56 bits wanted and the buffer holds 57..63 after refilling: take it in two parts.
        int first = valid;
        long hi = buffer >>> (64 - first);
        buffer = 0;
        valid = 0;
        refill();
        int rest = n - first;
        if (rest > valid) {
            throw EndOfChunkException.INSTANCE;
        }
        long lo = buffer >>> (64 - rest);
        buffer <<= rest;
        valid -= rest;
        return (hi << rest) | lo;
    }

    private void refill() {
        int take = (64 - valid) >>> 3;
        if (take == 0) {
            return;
        }
        if (pos + 8 <= end) {
            long w = (long) LONG_BE.get(b, pos);
            int keep = take << 3;
            long placed = valid == 0 ? w : w >>> valid;
            int drop = 64 - valid - keep;
            if (drop > 0) {
                placed &= -1L << drop;
            }
            buffer |= placed;
            valid += keep;
            pos += take;
            return;
        }
        while (take > 0 && pos < end) {
            buffer |= (long) (b[pos++] & 0xff) << (56 - valid);
            valid += 8;
            take--;
        }
    }

    /** Bits consumed since {@link #reset}. */
    long bitsRead() {
        return (long) (pos - start) * 8 - valid;
    }

    /** Go's {@code binary.ReadUvarint} over the bit stream, 8 bits per byte. */
    long readUvarint() {
        long x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++) {
            int c = (int) readBits(8);
            if (c < 0x80) {
                if (i == 9 && c > 1) {
                    throw EndOfChunkException.OVERFLOW;
                }
                return x | ((long) c << s);
            }
            x |= (long) (c & 0x7f) << s;
            s += 7;
        }
        throw EndOfChunkException.OVERFLOW;
    }

    long readVarint() {
        long ux = readUvarint();
        return (ux >>> 1) ^ -(ux & 1);
    }

    /** Control-flow signal for corrupt streams; stackless, converted to a ThanosException by the iterator. */
    static final class EndOfChunkException extends RuntimeException {
        static final EndOfChunkException INSTANCE = new EndOfChunkException("unexpected end of chunk data");
        static final EndOfChunkException OVERFLOW = new EndOfChunkException("varint overflows 64 bits");

        private EndOfChunkException(String m) {
            super(m, null, false, false);
        }
    }
}
