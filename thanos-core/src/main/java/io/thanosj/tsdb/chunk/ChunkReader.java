package io.thanosj.tsdb.chunk;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.ByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads chunks by reference from a block's segment files (memory-mapped, or any {@link ByteSource}).
 * Every chunk's CRC32C is verified; a bad reference, length, encoding or checksum raises a
 * {@link ThanosException} naming the file and offset. Thread-safe: reads share no mutable state
 * (a {@link ChunkLocation} belongs to its caller).
 */
public final class ChunkReader implements Closeable {
    /** Bytes sliced at once to read a chunk; larger chunks take a second slice. */
    private static final int WINDOW = 4096;

    private final ByteSource[] segments;

    private ChunkReader(ByteSource[] segments) {
        this.segments = segments;
    }

    /**
     * Opens every segment in {@code chunksDir}: files whose names are numbers, in name order, as
     * Prometheus does. {@code block} prefixes file names in errors.
     */
    public static ChunkReader open(Path chunksDir, String block) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(chunksDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.length() <= 19 && n.chars().allMatch(Character::isDigit)) {
                    files.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            throw new ThanosException(ErrorCode.NOT_FOUND, "open chunks of block " + block + ": " + chunksDir
                    + " does not exist", e);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "open chunks of block " + block + ": " + e, e);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<ByteSource> sources = new ArrayList<>(files.size());
        try {
            for (Path p : files) {
                sources.add(ByteSource.mmap(p, block + "/chunks/" + p.getFileName()));
            }
            return of(sources);
        } catch (RuntimeException e) {
            sources.forEach(ByteSource::close);
            throw e;
        }
    }

    /** A reader over already opened segments, in order; checks each segment's header. */
    public static ChunkReader of(List<ByteSource> segments) {
        for (ByteSource s : segments) {
            if (s.length() < ChunkSegments.HEADER_SIZE) {
                throw ThanosException.corrupted("read " + s.name() + ": segment of " + s.length()
                        + " bytes is shorter than its header at offset 0");
            }
            ByteBuffer h = s.slice(0, ChunkSegments.HEADER_SIZE);
            int magic = h.getInt(0);
            if (magic != ChunkSegments.MAGIC) {
                throw ThanosException.corrupted("read " + s.name() + ": invalid magic number "
                        + Integer.toHexString(magic) + " at offset 0");
            }
            if (h.get(4) != ChunkSegments.VERSION) {
                throw ThanosException.corrupted("read " + s.name() + ": unknown segment version " + h.get(4)
                        + " at offset 4");
            }
        }
        return new ChunkReader(segments.toArray(new ByteSource[0]));
    }

    public int numSegments() {
        return segments.length;
    }

    public long size() {
        long n = 0;
        for (ByteSource s : segments) {
            n += s.length();
        }
        return n;
    }

    /** The XOR chunk at {@code ref}, copied out of the segment. */
    public XorChunk chunk(long ref) {
        ChunkLocation c = locate(ref, new ChunkLocation());
        byte[] data = new byte[c.length];
        c.buffer.get(c.index, data, 0, c.length);
        return XorChunk.wrap(data, 0, data.length, c.segment, c.fileOffset);
    }

    /**
     * The data bytes of the XOR chunk at {@code ref} in place: a read-only view of the segment
     * (memory-mapped for local blocks), valid until {@link #close}, for callers that only copy the
     * bytes on (the StoreAPI writes them straight into its responses). Checked like {@link #chunk}.
     */
    public ByteBuffer data(long ref) {
        ChunkLocation c = locate(ref, new ChunkLocation());
        return c.buffer.slice(c.index, c.length);
    }

    /**
     * Finds the XOR chunk at {@code ref}, checks it like {@link #chunk} and stores where its data lies
     * in {@code into}, which is returned: the allocation-free form of {@link #data}.
     *
     * <p>Checks as Prometheus's reader does, CRC32C included: a CRC over a kilobyte costs a fraction
     * of a microsecond with the CPU's instruction, and a flipped bit in a chunk would otherwise
     * decode into wrong samples silently.
     */
    public ChunkLocation locate(long ref, ChunkLocation into) {
        int seg = ChunkSegments.segmentIndex(ref);
        long off = ChunkSegments.offset(ref);
        if (seg < 0 || seg >= segments.length) {
            throw ThanosException.corrupted("read chunk " + Long.toUnsignedString(ref) + ": segment index " + seg
                    + " out of range, the block has " + segments.length + " segment files");
        }
        ByteSource s = segments[seg];
        long size = s.length();
        if (off < ChunkSegments.HEADER_SIZE || off >= size) {
            throw corrupt(s, off, "chunk offset outside the segment of " + size + " bytes");
        }
        // One window covers the length, encoding, data and CRC of all but unusually large chunks;
        // it is read in place (no slice object) when the source shares its buffers.
        int win = (int) Math.min(WINDOW, size - off);
        ByteBuffer w = s.shared(off, win);
        int w0 = 0;
        if (w == null) {
            w = s.slice(off, win);
        } else {
            w0 = s.sharedIndex(off);
        }
        long len = 0;
        int i = 0;
        int shift = 0;
        while (true) {
            if (i >= win || i >= ChunkSegments.MAX_LENGTH_FIELD) {
                throw corrupt(s, off, "invalid chunk length");
            }
            int c = w.get(w0 + i++) & 0xff;
            len |= (long) (c & 0x7f) << shift;
            if (c < 0x80) {
                break;
            }
            shift += 7;
        }
        long encOff = off + i;
        long end = encOff + 1 + len + 4;
        if (end > size) {
            throw corrupt(s, off, "chunk of " + len + " bytes runs past the end of the segment of " + size + " bytes");
        }
        ByteBuffer d;
        int at;
        if (i + 1 + len + 4 <= win) {
            d = w;
            at = w0 + i;
        } else {
            int n = (int) (1 + len + 4);
            d = s.shared(encOff, n);
            if (d == null) {
                d = s.slice(encOff, n);
                at = 0;
            } else {
                at = s.sharedIndex(encOff);
            }
        }
        int n = (int) len;
        int enc = d.get(at) & 0xff;
        int want = d.getInt(at + 1 + n);
        int got = into.crc32c(d, at, at + 1 + n);
        if (got != want) {
            throw corrupt(s, off, "checksum mismatch, expected " + Integer.toHexString(want) + ", computed "
                    + Integer.toHexString(got));
        }
        if (enc != ChunkEncoding.XOR.code()) {
            ChunkEncoding e = ChunkEncoding.of(enc);
            throw corrupt(s, off, "unsupported chunk encoding " + (e == null ? String.valueOf(enc) : e.name().toLowerCase()));
        }
        into.buffer = d;
        into.index = at + 1;
        into.length = n;
        into.segment = s.name();
        into.fileOffset = encOff + 1;
        return into;
    }

    /**
     * Loads the memory of the chunk at {@code ref} without checking it, for a caller about to
     * {@link #locate} many chunks: issued for several chunks in a row, the loads wait for memory
     * together instead of one chunk after the other (the CRC of a chunk cannot start before its
     * bytes arrive). With {@code whole} false only the first byte is read; with true, one byte per
     * cache line of the chunk (its length read first). Never throws: {@link #locate} reports bad
     * references. Returns a value derived from the bytes read, for the caller to keep.
     */
    public int touch(long ref, boolean whole) {
        int seg = ChunkSegments.segmentIndex(ref);
        long off = ChunkSegments.offset(ref);
        if (seg < 0 || seg >= segments.length) {
            return 0;
        }
        ByteSource s = segments[seg];
        long size = s.length();
        if (off < ChunkSegments.HEADER_SIZE || off >= size) {
            return 0;
        }
        int win = (int) Math.min(WINDOW, size - off);
        ByteBuffer w = s.shared(off, win);
        if (w == null) {
            return 0;
        }
        int at = s.sharedIndex(off);
        int first = w.get(at);
        if (!whole) {
            return first;
        }
        int len = first & 0x7f;
        if (first < 0) {
            len |= (w.get(at + 1) & 0x7f) << 7; // two bytes reach 16 KiB, past the window
        }
        int end = Math.min(win, len + 8);
        int sum = first;
        for (int i = 64 - (at & 63); i < end; i += 64) {
            sum += w.get(at + i);
        }
        return sum;
    }

    private static ThanosException corrupt(ByteSource s, long off, String detail) {
        return ThanosException.corrupted("read chunk in " + s.name() + ": " + detail + " at offset " + off);
    }

    @Override
    public void close() {
        for (ByteSource s : segments) {
            s.close();
        }
    }
}
