package io.thanosj.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/** A deterministic pseudo-random byte stream of a given size, generated on the fly (never in the heap). */
final class PatternStream extends InputStream {
    private final long size;
    private long pos;
    private long state;

    PatternStream(long size, long seed) {
        this.size = size;
        this.state = seed;
    }

    private byte next() {
        state = state * 6364136223846793005L + 1442695040888963407L;
        return (byte) (state >>> 56);
    }

    @Override
    public int read() {
        if (pos >= size) {
            return -1;
        }
        pos++;
        return next() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - pos);
        for (int i = 0; i < n; i++) {
            b[off + i] = next();
        }
        pos += n;
        return n;
    }

    /** CRC32 and length of a stream, as "crc/len". */
    static String digest(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        long len = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            crc.update(buf, 0, n);
            len += n;
        }
        return Long.toHexString(crc.getValue()) + "/" + len;
    }
}
