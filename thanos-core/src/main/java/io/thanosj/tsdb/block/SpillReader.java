package io.thanosj.tsdb.block;

import io.thanosj.model.ThanosException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads back the records a {@link BlockWriter} spilled (a 4-byte big-endian length, then varints)
 * through one reused buffer, growing it only for a record larger than the buffer.
 */
final class SpillReader implements Closeable {
    private final Path path;
    private final FileChannel ch;
    private ByteBuffer buf = ByteBuffer.allocate(1 << 20).flip();
    private byte[] a = buf.array();
    private int p;     // read position in a
    private int end;   // end of the current record in a

    SpillReader(Path path) throws IOException {
        this.path = path;
        this.ch = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Moves to the next record. */
    void next() throws IOException {
        buf.position(end == 0 ? 0 : end);
        ensure(4);
        int len = buf.getInt();
        if (len < 0) {
            throw ThanosException.corrupted("read " + path + ": record length " + len);
        }
        ensure(len);
        p = buf.position();
        end = p + len;
    }

    private void ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        if (buf.capacity() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Integer.highestOneBit(n) << 1);
            bigger.put(buf).flip();
            buf = bigger;
            a = buf.array();
        }
        buf.compact();
        while (buf.position() < n) {
            if (ch.read(buf) < 0) {
                throw ThanosException.corrupted("read " + path + ": truncated record");
            }
        }
        buf.flip();
    }

    long uvarint() {
        long x = 0;
        int s = 0;
        while (true) {
            if (p >= end) {
                throw ThanosException.corrupted("read " + path + ": varint runs past its record");
            }
            int b = a[p++] & 0xff;
            if (b < 0x80) {
                return x | ((long) b << s);
            }
            x |= (long) (b & 0x7f) << s;
            s += 7;
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
