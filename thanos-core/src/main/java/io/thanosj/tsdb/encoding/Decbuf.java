package io.thanosj.tsdb.encoding;

import io.thanosj.model.ThanosException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A reusable cursor over a big-endian buffer: fixed-width integers, Go varints and length-prefixed
 * strings, every read bounds-checked. Errors are thrown at once as {@link ThanosException} naming the
 * file and the absolute file offset, so a corrupt file never becomes an index exception or an
 * endless loop. Flyweight style: {@link #reset} re-points the cursor without allocating.
 */
public final class Decbuf {
    private ByteBuffer b;
    private int pos;
    private int end;
    private long base;
    private String name;
    private byte[] scratch = new byte[64];
    private CRC32C crc; // reused for checksums of the own copy
    // Set while reading a copy in own (resetCopy): varints are then read from the array directly.
    private byte[] a;
    private byte[] own;
    private ByteBuffer ownBuf;

    public Decbuf() {
        this.b = ByteBuffer.allocate(0);
        this.name = "";
    }

    /** Cursor over the whole buffer, whose index 0 lies at {@code fileOffset} of file {@code name}. */
    public Decbuf(ByteBuffer b, long fileOffset, String name) {
        reset(b, fileOffset, name);
    }

    public Decbuf reset(ByteBuffer buf, long fileOffset, String fileName) {
        this.a = null;
        this.b = buf;
        this.pos = 0;
        this.end = buf.limit();
        this.base = fileOffset;
        this.name = fileName;
        return this;
    }

    /**
     * Cursor over {@code [from, to)} of a buffer that may be shared ({@link ByteSource#shared}),
     * whose index 0 lies at {@code fileOffset}: positioned at {@code from}, reading nothing past
     * {@code to}. The buffer is read with absolute gets only.
     */
    public Decbuf reset(ByteBuffer buf, long fileOffset, String fileName, int from, int to) {
        if (from < 0 || from > to || to > buf.limit()) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside buffer of " + buf.limit());
        }
        this.a = null;
        this.b = buf;
        this.pos = from;
        this.end = to;
        this.base = fileOffset;
        this.name = fileName;
        return this;
    }

    /**
     * Copies {@code [from, to)} of {@code buf} (which may be shared; read with an absolute get) into
     * this cursor's own array and reads the copy, whose first byte lies at {@code fileOffset}:
     * positioned at 0, {@link #remaining} is {@code to - from}. For entries whose every byte is
     * decoded: a memory copy and plain array reads cost less than a checked get per byte of a direct
     * buffer.
     */
    public Decbuf resetCopy(ByteBuffer buf, int from, int to, long fileOffset, String fileName) {
        int n = to - from;
        byte[] o = own;
        if (o == null || o.length < n) {
            o = new byte[o == null ? n : Math.max(n, o.length * 2)];
            own = o;
            ownBuf = ByteBuffer.wrap(o);
        }
        buf.get(from, o, 0, n);
        this.a = o;
        this.b = ownBuf;
        this.pos = 0;
        this.end = n;
        this.base = fileOffset;
        this.name = fileName;
        return this;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        if (p < 0 || p > end) {
            throw corrupt("position " + p + " outside section of " + end + " bytes");
        }
        pos = p;
    }

    /** Absolute offset of the cursor in the file. */
    public long fileOffset() {
        return base + pos;
    }

    public int remaining() {
        return end - pos;
    }

    /** Restricts the readable range to {@code [position, position + n)}. */
    public void limit(int n) {
        need(n);
        end = pos + n;
    }

    public ByteBuffer buffer() {
        return b;
    }

    public String name() {
        return name;
    }

    public ThanosException corrupt(String detail) {
        return ThanosException.corrupted("read " + name + ": " + detail + " at offset " + (base + pos));
    }

    private void need(int n) {
        if (n < 0 || n > end - pos) {
            throw corrupt("need " + n + " bytes but only " + (end - pos) + " remain");
        }
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }

    public int u8() {
        need(1);
        return b.get(pos++) & 0xff;
    }

    public int be32() {
        need(4);
        int v = b.getInt(pos);
        pos += 4;
        return v;
    }

    /** A big-endian uint32 that must fit in a non-negative int (a count or length). */
    public int be32Int() {
        int at = pos;
        int v = be32();
        if (v < 0) {
            pos = at;
            throw corrupt("count or length " + Integer.toUnsignedString(v) + " is too large");
        }
        return v;
    }

    public long be64() {
        need(8);
        long v = b.getLong(pos);
        pos += 8;
        return v;
    }

    /** Go's {@code binary.Uvarint}: at most 10 bytes, no overflow. */
    public long uvarint64() {
        byte[] arr = a;
        if (arr != null) {
            return uvarint64(arr);
        }
        long x = 0;
        int s = 0;
        int start = pos;
        for (int i = 0; i < 10; i++) {
            if (pos >= end) {
                pos = start;
                throw corrupt("varint runs past the end of the section");
            }
            int c = b.get(pos++) & 0xff;
            if (c < 0x80) {
                if (i == 9 && c > 1) {
                    break;
                }
                return x | ((long) c << s);
            }
            x |= (long) (c & 0x7f) << s;
            s += 7;
        }
        pos = start;
        throw corrupt("varint overflows 64 bits");
    }

    private long uvarint64(byte[] arr) {
        long x = 0;
        int s = 0;
        int p = pos;
        int e = end;
        for (int i = 0; i < 10; i++) {
            if (p >= e) {
                throw corrupt("varint runs past the end of the section");
            }
            int c = arr[p++] & 0xff;
            if (c < 0x80) {
                if (i == 9 && c > 1) {
                    break;
                }
                pos = p;
                return x | ((long) c << s);
            }
            x |= (long) (c & 0x7f) << s;
            s += 7;
        }
        throw corrupt("varint overflows 64 bits");
    }

    /** Go's {@code binary.Varint} (zig-zag). */
    public long varint64() {
        long ux = uvarint64();
        return (ux >>> 1) ^ -(ux & 1);
    }

    /** A uvarint that must fit in 32 bits unsigned, returned as a non-negative long. */
    public long uvarint32() {
        int start = pos;
        long v = uvarint64();
        if (v < 0 || v > 0xffffffffL) {
            pos = start;
            throw corrupt("value " + Long.toUnsignedString(v) + " overflows 32 bits");
        }
        return v;
    }

    /** A uvarint used as a count, length or index: must fit a non-negative int. */
    public int uvarintInt() {
        int start = pos;
        long v = uvarint64();
        if (v < 0 || v > Integer.MAX_VALUE) {
            pos = start;
            throw corrupt("count or length " + Long.toUnsignedString(v) + " is too large");
        }
        return (int) v;
    }

    /** A uvarint length-prefixed UTF-8 string. */
    public String uvarintStr() {
        int n = uvarintInt();
        need(n);
        String s = string(pos, n);
        pos += n;
        return s;
    }

    /** Skips a uvarint length-prefixed byte string and returns its length; its bytes end at {@link #position}. */
    public int skipUvarintBytes() {
        int n = uvarintInt();
        skip(n);
        return n;
    }

    /** Decodes UTF-8 bytes at a buffer index without moving the cursor. */
    public String string(int at, int n) {
        if (n == 0) {
            return "";
        }
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + at, n, StandardCharsets.UTF_8);
        }
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        b.get(at, scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    /** Compares bytes at a buffer index with {@code other} as unsigned bytes (Go's string order). */
    public int compareBytes(int at, int n, byte[] other) {
        int m = Math.min(n, other.length);
        for (int i = 0; i < m; i++) {
            int c = (b.get(at + i) & 0xff) - (other[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return n - other.length;
    }

    /**
     * CRC32C (Castagnoli) of buffer bytes {@code [from, to)}; over the own copy ({@link #resetCopy})
     * it reads the array and allocates nothing.
     */
    public int crc32c(int from, int to) {
        if (a == null) {
            return crc32c(b, from, to);
        }
        if (crc == null) {
            crc = new CRC32C();
        } else {
            crc.reset();
        }
        crc.update(a, from, to - from);
        return (int) crc.getValue();
    }

    public static int crc32c(ByteBuffer buf, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }
}
