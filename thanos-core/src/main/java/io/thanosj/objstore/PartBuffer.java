package io.thanosj.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds one upload part in fixed-size chunks, so that filling it never copies (unlike a growing
 * array) and a small object costs one small chunk. Chunks are reused by the next part of the same
 * upload; {@link #newInputStream()} can be called again for a retry.
 */
final class PartBuffer {
    private static final int FIRST_CHUNK = 64 * 1024;
    private static final int CHUNK = 1024 * 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    private long length;

    /** Reads up to {@code max} bytes from {@code in}, replacing the previous part; returns the count. */
    long fill(InputStream in, long max) throws IOException {
        length = 0;
        int chunk = 0;
        while (length < max) {
            if (chunk == chunks.size()) {
                chunks.add(new byte[chunk == 0 ? FIRST_CHUNK : CHUNK]);
            }
            byte[] c = chunks.get(chunk);
            int want = (int) Math.min(c.length, max - length);
            int got = in.readNBytes(c, 0, want);
            length += got;
            if (got < want) {
                break;
            }
            chunk++;
        }
        return length;
    }

    long length() {
        return length;
    }

    /** A fresh stream over the current part; does not copy. Supports mark/reset, as some SDKs need. */
    InputStream newInputStream() {
        return new InputStream() {
            private long pos;
            private int chunk;
            private int inChunk;
            private long markPos;
            private int markChunk;
            private int markInChunk;

            @Override
            public boolean markSupported() {
                return true;
            }

            @Override
            public void mark(int readLimit) {
                markPos = pos;
                markChunk = chunk;
                markInChunk = inChunk;
            }

            @Override
            public void reset() {
                pos = markPos;
                chunk = markChunk;
                inChunk = markInChunk;
            }

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (pos >= length) {
                    return -1;
                }
                byte[] c = chunks.get(chunk);
                int n = (int) Math.min(Math.min(len, c.length - inChunk), length - pos);
                System.arraycopy(c, inChunk, b, off, n);
                pos += n;
                inChunk += n;
                if (inChunk == c.length) {
                    chunk++;
                    inChunk = 0;
                }
                return n;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, length - pos);
            }
        };
    }
}
