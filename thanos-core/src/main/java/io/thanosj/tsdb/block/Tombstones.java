package io.thanosj.tsdb.block;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.Decbuf;
import io.thanosj.tsdb.encoding.Encbuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Deleted time ranges per series reference: the block's {@code tombstones} file
 * (prometheus/prometheus {@code tsdb/docs/format/tombstones.md}): {@code magic 0x0130BA30 | version 1 |
 * (ref <uvarint> mint <varint> maxt <varint>)* | CRC32C} where the checksum skips the version byte, as
 * in Prometheus. Intervals of a series are kept sorted and merged when they overlap or touch.
 * Not thread-safe while being changed.
 */
public final class Tombstones {
    public static final String FILENAME = "tombstones";
    static final int MAGIC = 0x0130BA30;
    static final int VERSION = 1;

    private final TreeMap<Long, List<Interval>> stones = new TreeMap<>();

    public static Tombstones empty() {
        return new Tombstones();
    }

    /** Adds a deleted interval for series {@code ref}, merging it with overlapping or adjacent ones. */
    public void add(long ref, Interval iv) {
        List<Interval> in = stones.computeIfAbsent(ref, k -> new ArrayList<>(2));
        List<Interval> out = new ArrayList<>(in.size() + 1);
        Interval cur = iv;
        boolean placed = false;
        for (Interval x : in) {
            if (x.touches(cur)) {
                cur = new Interval(Math.min(x.mint(), cur.mint()), Math.max(x.maxt(), cur.maxt()));
            } else if (x.maxt() < cur.mint()) {
                out.add(x);
            } else {
                if (!placed) {
                    out.add(cur);
                    placed = true;
                }
                out.add(x);
            }
        }
        if (!placed) {
            out.add(cur);
        }
        in.clear();
        in.addAll(out);
    }

    /** Deleted intervals of a series, sorted and disjoint; empty when none. */
    public List<Interval> intervals(long ref) {
        List<Interval> l = stones.get(ref);
        return l == null ? List.of() : Collections.unmodifiableList(l);
    }

    public boolean isEmpty() {
        return stones.isEmpty();
    }

    /** Number of (series, interval) pairs, as meta.json's numTombstones counts them. */
    public long count() {
        long n = 0;
        for (List<Interval> l : stones.values()) {
            n += l.size();
        }
        return n;
    }

    public Map<Long, List<Interval>> asMap() {
        return Collections.unmodifiableMap(stones);
    }

    public byte[] encode() {
        Encbuf b = new Encbuf(64);
        b.putBE32(MAGIC).putByte(VERSION);
        for (Map.Entry<Long, List<Interval>> e : stones.entrySet()) {
            for (Interval iv : e.getValue()) {
                b.putUvarint64(e.getKey()).putVarint64(iv.mint()).putVarint64(iv.maxt());
            }
        }
        return b.putCrc32c(5).toByteArray();
    }

    /** Parses a tombstones file; {@code name} (block and file) appears in errors. */
    public static Tombstones decode(byte[] b, String name) {
        if (b.length < 4 + 1 + 4) {
            throw ThanosException.corrupted("read " + name + ": file of " + b.length + " bytes is shorter than its header at offset 0");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        int magic = buf.getInt(0);
        if (magic != MAGIC) {
            throw ThanosException.corrupted("read " + name + ": invalid magic number " + Integer.toHexString(magic) + " at offset 0");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 5, b.length - 9);
        if ((int) crc.getValue() != buf.getInt(b.length - 4)) {
            throw ThanosException.corrupted("read " + name + ": checksum mismatch at offset " + (b.length - 4));
        }
        if (b[4] != VERSION) {
            throw ThanosException.corrupted("read " + name + ": invalid tombstone format " + b[4] + " at offset 4");
        }
        Tombstones t = new Tombstones();
        Decbuf d = new Decbuf(ByteBuffer.wrap(b, 0, b.length - 4).slice(), 0, name);
        d.skip(5);
        while (d.remaining() > 0) {
            long ref = d.uvarint64();
            long mint = d.varint64();
            long maxt = d.varint64();
            t.add(ref, new Interval(mint, maxt));
        }
        return t;
    }

    /** Reads {@code <dir>/tombstones}; a missing file means no tombstones. */
    public static Tombstones readFromDir(Path dir, String block) {
        Path p = dir.resolve(FILENAME);
        try {
            return decode(Files.readAllBytes(p), block + "/" + FILENAME);
        } catch (NoSuchFileException e) {
            return new Tombstones();
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read " + block + "/" + FILENAME + ": " + e, e);
        }
    }

    /** Writes {@code <dir>/tombstones} atomically (temp file, fsync, rename); returns its size. */
    public long writeToDir(Path dir) {
        byte[] b = encode();
        Path tmp = dir.resolve(FILENAME + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer w = ByteBuffer.wrap(b);
                while (w.hasRemaining()) {
                    ch.write(w);
                }
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(FILENAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            MetaJson.syncDir(dir);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write tombstones to " + dir + ": " + e, e);
        }
        return b.length;
    }
}
