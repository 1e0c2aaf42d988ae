package io.thanosj.tsdb.index;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An append-only file with a 1 MiB write buffer, position tracking and patching of written bytes. */
final class BufferedFile implements Closeable {
    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    private long pos;

    BufferedFile(Path path) {
        this.path = path;
        try {
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw fail("create", e);
        }
    }

    Path path() {
        return path;
    }

    long pos() {
        return pos;
    }

    FileChannel channel() {
        return ch;
    }

    void write(byte[] b, int off, int len) {
        pos += len;
        if (pos > IndexFormat.MAX_SIZE) {
            throw new ThanosException(ErrorCode.RESOURCE_EXHAUSTED, "write " + path + ": index exceeds the maximum size of 64 GiB");
        }
        while (len > 0) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    void write(byte[] b) {
        write(b, 0, b.length);
    }

    void padTo(int align) {
        int p = (int) (pos % align);
        if (p != 0) {
            write(new byte[align - p]);
        }
    }

    void flush() {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            throw fail("write", e);
        }
        buf.clear();
    }

    /** Overwrites already written bytes at {@code at}. */
    void writeAt(long at, byte[] b) {
        flush();
        ByteBuffer w = ByteBuffer.wrap(b);
        try {
            long p = at;
            while (w.hasRemaining()) {
                p += ch.write(w, p);
            }
        } catch (IOException e) {
            throw fail("write", e);
        }
    }

    /** Appends the whole content of another file. */
    void append(BufferedFile other) {
        other.flush();
        flush();
        try {
            long n = other.ch.size();
            long done = 0;
            while (done < n) {
                done += other.ch.transferTo(done, n - done, ch);
            }
            pos += n;
            ch.position(pos);
        } catch (IOException e) {
            throw fail("copy into", e);
        }
    }

    /** Flushes and maps {@code [from, to)} read-only. */
    ByteBuffer map(long from, long to) {
        flush();
        try {
            return ch.map(FileChannel.MapMode.READ_ONLY, from, to - from);
        } catch (IOException e) {
            throw fail("map", e);
        }
    }

    void sync() {
        flush();
        try {
            ch.force(true);
        } catch (IOException e) {
            throw fail("sync", e);
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            throw fail("close", e);
        }
    }

    void closeAndDelete() {
        try {
            ch.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw fail("remove", e);
        }
    }

    private ThanosException fail(String what, IOException e) {
        return new ThanosException(ErrorCode.UNAVAILABLE, what + " " + path + ": " + e, e);
    }
}
