package io.thanosj.tsdb.chunk;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes chunks into numbered segment files in a block's {@code chunks/} directory, each at most
 * the segment size (512 MiB by default), and returns a reference per chunk (segment index in the
 * upper 32 bits, file offset in the lower). Each chunk is {@code len <uvarint> | encoding <1> |
 * data | CRC32C(encoding, data)}. Segments are fsynced when cut and on {@link #close}.
 */
public final class ChunkWriter implements Closeable {
    private static final int BUFFER = 1 << 20;

    private final Path dir;
    private final long segmentSize;
    private final List<String> files = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    private final byte[] head = new byte[ChunkSegments.MAX_LENGTH_FIELD + 1];
    private final CRC32C crc = new CRC32C();
    private FileChannel ch;
    private long pos;
    private long totalBytes;
    private boolean closed;

    public ChunkWriter(Path chunksDir) {
        this(chunksDir, ChunkSegments.DEFAULT_SEGMENT_SIZE);
    }

    public ChunkWriter(Path chunksDir, long segmentSize) {
        if (segmentSize <= ChunkSegments.HEADER_SIZE || segmentSize > 0xffffffffL) {
            throw new IllegalArgumentException("segment size must be within (8, 4 GiB], got " + segmentSize);
        }
        this.dir = chunksDir;
        this.segmentSize = segmentSize;
        try {
            Files.createDirectories(chunksDir);
        } catch (IOException e) {
            throw failure("create directory", e);
        }
    }

    /** Appends an XOR chunk and returns its reference. */
    public long write(XorChunk c) {
        return write(ChunkEncoding.XOR, c.array(), c.offset(), c.length());
    }

    /** Appends the chunk an appender holds so far, without copying it out, and returns its reference. */
    public long write(XorAppender a) {
        return write(ChunkEncoding.XOR, a.buffer(), 0, a.sizeBytes());
    }

    /** Appends encoded chunk data and returns its reference. */
    public long write(ChunkEncoding enc, byte[] data, int off, int len) {
        if (closed) {
            throw new IllegalStateException("chunk writer is closed");
        }
        long maxSize = ChunkSegments.MAX_LENGTH_FIELD + 1L + len + 4;
        try {
            if (ch == null || (pos > ChunkSegments.HEADER_SIZE && pos + maxSize > segmentSize)) {
                cut();
            }
            long ref = ChunkSegments.ref(files.size() - 1, pos);
            int h = 0;
            long v = len;
            while (v >= 0x80) {
                head[h++] = (byte) (v | 0x80);
                v >>>= 7;
            }
            head[h++] = (byte) v;
            head[h++] = (byte) enc.code();
            put(head, 0, h);
            put(data, off, len);
            crc.reset();
            crc.update(enc.code());
            crc.update(data, off, len);
            int sum = (int) crc.getValue();
            head[0] = (byte) (sum >>> 24);
            head[1] = (byte) (sum >>> 16);
            head[2] = (byte) (sum >>> 8);
            head[3] = (byte) sum;
            put(head, 0, 4);
            return ref;
        } catch (IOException e) {
            throw failure("write chunk", e);
        }
    }

    private void put(byte[] src, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(src, off, n);
            off += n;
            len -= n;
            pos += n;
        }
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    private void finishSegment() throws IOException {
        if (ch != null) {
            flush();
            ch.force(true);
            ch.close();
            totalBytes += pos;
            ch = null;
        }
    }

    private void cut() throws IOException {
        finishSegment();
        String name = ChunkSegments.fileName(files.size());
        ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        files.add(name);
        pos = 0;
        byte[] header = new byte[ChunkSegments.HEADER_SIZE];
        ByteBuffer.wrap(header).putInt(ChunkSegments.MAGIC).put((byte) ChunkSegments.VERSION);
        put(header, 0, header.length);
    }

    /** Segment file names written so far, in order. */
    public List<String> segmentFiles() {
        return List.copyOf(files);
    }

    /** Bytes written to finished segments plus the current one. */
    public long sizeBytes() {
        return totalBytes + (ch == null ? 0 : pos);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            finishSegment();
            syncDir(dir);
        } catch (IOException e) {
            throw failure("close segment", e);
        }
    }

    /** Closes without flushing, for error paths. */
    public void abort() {
        closed = true;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the block is being discarded
            }
            ch = null;
        }
    }

    private ThanosException failure(String what, IOException e) {
        return new ThanosException(ErrorCode.UNAVAILABLE, what + " in " + dir + ": " + e, e);
    }

    static void syncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Directories cannot be opened on every platform; the data itself is already synced.
        }
    }
}
