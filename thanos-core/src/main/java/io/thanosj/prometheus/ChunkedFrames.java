package io.thanosj.prometheus;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Reads the frames of a streamed remote read response (Prometheus's
 * {@code storage/remote/chunked.go}): each frame is a uvarint message size, the big-endian CRC32
 * (Castagnoli) of the message, then the message. Each frame gets a fresh array because the chunks
 * decoded from it keep referring to it instead of being copied.
 */
final class ChunkedFrames {
    /** Prometheus's {@code DefaultChunkedReadLimit}: no frame may be larger. */
    static final int DEFAULT_MAX_FRAME = 50 * 1024 * 1024;

    private final InputStream in;
    private final int maxFrame;
    private final String source;
    private final CRC32C crc = new CRC32C();
    private long offset;
    private int frames;

    /** {@code source} names the stream in errors (the remote read URL). */
    ChunkedFrames(InputStream in, int maxFrame, String source) {
        this.in = in;
        this.maxFrame = maxFrame;
        this.source = source;
    }

    /** The next frame's message bytes (the whole array), or null at a clean end of stream. */
    byte[] next() throws IOException {
        long frameStart = offset;
        long size = 0;
        int shift = 0;
        for (int i = 0; ; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return null;
                }
                throw corrupt(frameStart, "stream ends inside a frame size");
            }
            offset++;
            if (i == 9 && b > 1) {
                throw corrupt(frameStart, "frame size overflows uint64");
            }
            size |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
            shift += 7;
        }
        if (size > maxFrame || size < 0) {
            throw corrupt(frameStart, "frame of " + Long.toUnsignedString(size) + " bytes exceeds the limit of "
                    + maxFrame + " bytes");
        }
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw corrupt(frameStart, "stream ends inside a frame checksum");
        }
        offset += 4;
        int want = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        byte[] msg = new byte[(int) size];
        int n = in.readNBytes(msg, 0, msg.length);
        if (n < msg.length) {
            throw corrupt(frameStart, "stream ends after " + n + " of " + size + " frame bytes");
        }
        offset += n;
        crc.reset();
        crc.update(msg, 0, msg.length);
        if ((int) crc.getValue() != want) {
            throw corrupt(frameStart, "checksum mismatch: frame says " + Integer.toUnsignedString(want, 16)
                    + ", data has " + Long.toHexString(crc.getValue()));
        }
        frames++;
        return msg;
    }

    int frames() {
        return frames;
    }

    private ThanosException corrupt(long at, String detail) {
        // A server that fails mid-stream appends its error text, which then reads as a broken frame.
        return new ThanosException(ErrorCode.UNAVAILABLE, "read remote read response from " + source
                + ": frame " + frames + " at byte " + at + ": " + detail, new EOFException(detail));
    }
}
