package io.thanosj.tsdb.encoding;

import io.thanosj.model.ThanosException;
import java.nio.ByteBuffer;

/** A byte array as a {@link ByteSource}. */
final class ArrayByteSource implements ByteSource {
    private final byte[] bytes;
    private final String name;

    ArrayByteSource(byte[] bytes, String name) {
        this.bytes = bytes;
        this.name = name;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public ByteBuffer slice(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw ThanosException.corrupted("read " + name + ": range [" + offset + ", " + (offset + length)
                    + ") is outside the file of " + bytes.length + " bytes");
        }
        return ByteBuffer.wrap(bytes, (int) offset, length).slice();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {}
}
