package io.thanosj.tsdb.encoding;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory-mapped file. A mapping holds at most 2 GiB, so larger files (an index may
 * reach 64 GiB) are mapped in 1 GiB regions; the rare slice crossing a region boundary is copied.
 * Mappings are released by the garbage collector; {@link #close} only drops the references.
 */
final class MmapByteSource implements ByteSource {
    private static final int REGION_SHIFT = 30;
    private static final long REGION = 1L << REGION_SHIFT;

    private final String name;
    private final long length;
    private MappedByteBuffer[] regions;

    private MmapByteSource(String name, long length, MappedByteBuffer[] regions) {
        this.name = name;
        this.length = length;
        this.regions = regions;
    }

    static MmapByteSource open(Path file, String name) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) ((size + REGION - 1) >>> REGION_SHIFT);
            MappedByteBuffer[] regions = new MappedByteBuffer[Math.max(n, 1)];
            for (int i = 0; i < n; i++) {
                long off = (long) i << REGION_SHIFT;
                regions[i] = ch.map(FileChannel.MapMode.READ_ONLY, off, Math.min(REGION, size - off));
            }
            if (n == 0) {
                regions[0] = ch.map(FileChannel.MapMode.READ_ONLY, 0, 0);
            }
            return new MmapByteSource(name, size, regions);
        } catch (NoSuchFileException e) {
            throw new ThanosException(ErrorCode.NOT_FOUND, "open " + name + ": " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "open " + name + ": " + e, e);
        }
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public ByteBuffer shared(long offset, int len) {
        MappedByteBuffer[] r = check(offset, len);
        int region = (int) (offset >>> REGION_SHIFT);
        int inRegion = (int) (offset & (REGION - 1));
        return inRegion + (long) len <= r[region].capacity() ? r[region] : null;
    }

    @Override
    public int sharedIndex(long offset) {
        return (int) (offset & (REGION - 1));
    }

    private MappedByteBuffer[] check(long offset, int len) {
        MappedByteBuffer[] r = regions;
        if (r == null) {
            throw new ThanosException(ErrorCode.INTERNAL, "read " + name + ": source is closed");
        }
        if (offset < 0 || len < 0 || offset + len > length) {
            throw ThanosException.corrupted("read " + name + ": range [" + offset + ", " + (offset + len)
                    + ") is outside the file of " + length + " bytes");
        }
        return r;
    }

    @Override
    public ByteBuffer slice(long offset, int len) {
        MappedByteBuffer[] r = check(offset, len);
        int region = (int) (offset >>> REGION_SHIFT);
        int inRegion = (int) (offset & (REGION - 1));
        if (inRegion + (long) len <= r[region].capacity()) {
            return r[region].slice(inRegion, len);
        }
        ByteBuffer copy = ByteBuffer.allocate(len);
        long pos = offset;
        while (copy.hasRemaining()) {
            int ri = (int) (pos >>> REGION_SHIFT);
            int at = (int) (pos & (REGION - 1));
            int n = Math.min(copy.remaining(), r[ri].capacity() - at);
            copy.put(r[ri].slice(at, n));
            pos += n;
        }
        return copy.flip();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        regions = null;
    }
}
