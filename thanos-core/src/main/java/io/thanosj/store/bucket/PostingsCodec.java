package io.thanosj.store.bucket;

import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.Decbuf;
import io.thanosj.tsdb.encoding.Encbuf;
import java.nio.ByteBuffer;

/**
 * Postings lists as read from an index ({@code len <4b> | count <4b> | ref <4b>... | CRC32C}) and as
 * kept in the index cache: the count and the deltas between references as uvarints, typically a
 * quarter of the raw size.
 */
final class PostingsCodec {
    static final long[] EMPTY = new long[0];

    private PostingsCodec() {}

    /**
     * Decodes the list whose length field is at {@code at} of {@code buf}, which holds
     * {@code buf.length} bytes from file offset {@code fileOffset}; checks length and CRC32C.
     */
    static long[] decodeIndexList(byte[] buf, int at, long fileOffset, String file) {
        ByteBuffer b = ByteBuffer.wrap(buf);
        if (at + 8 > buf.length) {
            throw ThanosException.corrupted("read " + file + ": postings list at offset " + (fileOffset + at)
                    + " is truncated");
        }
        long len = b.getInt(at) & 0xffffffffL;
        long count = b.getInt(at + 4) & 0xffffffffL;
        if (len != 4 + 4 * count || at + 4 + len + 4 > buf.length) {
            throw ThanosException.corrupted("read " + file + ": postings list at offset " + (fileOffset + at) + " claims "
                    + count + " entries in " + len + " bytes, " + (buf.length - at) + " bytes available");
        }
        int bodyEnd = at + 4 + (int) len;
        if (b.getInt(bodyEnd) != Decbuf.crc32c(b, at + 4, bodyEnd)) {
            throw ThanosException.corrupted("read " + file + ": postings list checksum mismatch at offset " + (fileOffset + at));
        }
        long[] out = new long[(int) count];
        int p = at + 8;
        for (int i = 0; i < out.length; i++, p += 4) {
            out[i] = b.getInt(p) & 0xffffffffL;
        }
        return out;
    }

    static byte[] encodeForCache(long[] refs) {
        Encbuf e = new Encbuf(8 + refs.length * 2);
        e.putUvarint64(refs.length);
        long prev = 0;
        for (long r : refs) {
            e.putUvarint64(r - prev);
            prev = r;
        }
        return e.toByteArray();
    }

    /** Decodes a cached value; null when it is not one of ours (then it is refetched). */
    static long[] decodeFromCache(byte[] v) {
        try {
            Decbuf d = new Decbuf(ByteBuffer.wrap(v), 0, "cached postings");
            int n = d.uvarintInt();
            if (n > v.length) {
                return null;
            }
            long[] out = new long[n];
            long prev = 0;
            for (int i = 0; i < n; i++) {
                prev += d.uvarint64();
                out[i] = prev;
            }
            return d.remaining() == 0 ? out : null;
        } catch (ThanosException e) {
            return null;
        }
    }
}
