package io.thanosj.tsdb.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable big-endian write buffer with Go varints; reused via {@link #reset}. */
public final class Encbuf {
    private byte[] b;
    private int n;

    private CRC32C crc;

    public Encbuf() {
        this(256);
    }

    public Encbuf(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    public Encbuf reset() {
        n = 0;
        return this;
    }

    public int len() {
        return n;
    }

    /** The backing array; bytes {@code [0, len())} are valid. */
    public byte[] array() {
        return b;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(b, n);
    }

    private void ensure(int more) {
        if (n + more > b.length) {
            b = Arrays.copyOf(b, Math.max(n + more, b.length * 2));
        }
    }

    public Encbuf putByte(int v) {
        ensure(1);
        b[n++] = (byte) v;
        return this;
    }

    public Encbuf putBytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, b, n, len);
        n += len;
        return this;
    }

    public Encbuf putBytes(byte[] src) {
        return putBytes(src, 0, src.length);
    }

    public Encbuf putBE16(int v) {
        ensure(2);
        b[n++] = (byte) (v >>> 8);
        b[n++] = (byte) v;
        return this;
    }

    public Encbuf putBE32(int v) {
        ensure(4);
        setBE32(n, v);
        n += 4;
        return this;
    }

    /** Overwrites 4 bytes at {@code at}, e.g. a length reserved earlier. */
    public void setBE32(int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    public Encbuf putBE64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            b[n + i] = (byte) v;
            v >>>= 8;
        }
        n += 8;
        return this;
    }

    /** Go's {@code binary.PutUvarint}: the value is treated as unsigned. */
    public Encbuf putUvarint64(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            b[n++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[n++] = (byte) v;
        return this;
    }

    /** Go's {@code binary.PutVarint} (zig-zag). */
    public Encbuf putVarint64(long v) {
        return putUvarint64((v << 1) ^ (v >> 63));
    }

    public Encbuf putUvarintStr(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        putUvarint64(u.length);
        return putBytes(u);
    }

    public Encbuf putUvarintBytes(byte[] u) {
        putUvarint64(u.length);
        return putBytes(u);
    }

    /** Appends the CRC32C of bytes {@code [from, len())}, big-endian. */
    public Encbuf putCrc32c(int from) {
        if (crc == null) {
            crc = new CRC32C();
        }
        crc.reset();
        crc.update(b, from, n - from);
        return putBE32((int) crc.getValue());
    }

    /** Zero bytes until {@code (base + len()) % align == 0}. */
    public Encbuf pad(long base, int align) {
        int p = (int) ((base + n) % align);
        if (p != 0) {
            ensure(align - p);
            for (int i = p; i < align; i++) {
                b[n++] = 0;
            }
        }
        return this;
    }

    public static int uvarintSize(long v) {
        int s = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            s++;
        }
        return s;
    }
}
