package io.thanosj.tsdb.encoding;

import io.thanosj.model.ThanosException;
import java.nio.ByteBuffer;

/** A byte array as a {@link ByteSource}. */
final class ArrayByteSource implements ByteSource {
    private final byte[] bytes;
    private final String name;
    private final ByteBuffer whole;

    ArrayByteSource(byte[] bytes, String name) {
        this.bytes = bytes;
        this.name = name;
        this.whole = ByteBuffer.wrap(bytes); // writable like slice(); callers do not write
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public ByteBuffer shared(long offset, int length) {
        check(offset, length);
        return whole;
    }

    @Override
    public int sharedIndex(long offset) {
        return (int) offset;
    }

    private void check(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw ThanosException.corrupted("read " + name + ": range [" + offset + ", " + (offset + length)
                    + ") is outside the file of " + bytes.length + " bytes");
        }
    }

    @Override
    public ByteBuffer slice(long offset, int length) {
        check(offset, length);
        return ByteBuffer.wrap(bytes, (int) offset, length).slice();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {}
}
