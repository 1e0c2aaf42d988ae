package io.thanosj.store.bucket;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.encoding.Decbuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Builds a block's binary index-header (Thanos's docs/operating/binary-index-header.md, format v1)
 * from its index in the bucket with four range reads and no full download: the index header
 * (5 bytes), its TOC (52 bytes), the symbol table ({@code [toc.symbols, toc.series)}) and the
 * postings offset table through the end of the file. The file is written to a temporary name,
 * fsynced and renamed, so a crash never leaves a partial index-header behind.
 *
 * <pre>
 * magic 0xBAAAD792 &lt;4b&gt; | version 1 &lt;1b&gt; | index version &lt;1b&gt; | index postings offset table ref &lt;8b&gt;
 * symbol table (copied) | postings offset table (copied, followed by the index TOC)
 * TOC: ref(symbols) &lt;8b&gt; | ref(postings offset table) &lt;8b&gt; | CRC32C &lt;4b&gt;
 * </pre>
 */
final class IndexHeaderWriter {
    static final int MAGIC = 0xBAAAD792;
    static final int VERSION = 1;
    static final int HEADER_LEN = 4 + 1 + 1 + 8;
    static final int TOC_LEN = 8 + 8 + 4;
    static final int INDEX_MAGIC = 0xBAAAD700;
    static final int INDEX_HEADER_LEN = 5;
    static final int INDEX_TOC_LEN = 6 * 8 + 4;
    static final String FILENAME = "index-header";

    private IndexHeaderWriter() {}

    /** Writes {@code file} for block {@code id}; returns the bytes read from the bucket. */
    static long build(Bucket bkt, String id, Path file) {
        String index = id + "/index";
        long size = bkt.attributes(index).size();
        if (size < INDEX_HEADER_LEN + INDEX_TOC_LEN) {
            throw ThanosException.corrupted("build index-header of block " + id + ": index of " + size + " bytes is too short");
        }
        ByteBuffer h = ByteBuffer.wrap(readRange(bkt, index, 0, INDEX_HEADER_LEN));
        if (h.getInt(0) != INDEX_MAGIC) {
            throw ThanosException.corrupted("build index-header of block " + id + ": invalid magic number "
                    + Integer.toHexString(h.getInt(0)) + " in " + index + " at offset 0");
        }
        int version = h.get(4) & 0xff;
        if (version != 2) {
            throw ThanosException.corrupted("build index-header of block " + id + ": unsupported index format version "
                    + version + " in " + index + " (only v2, Prometheus 2.1+)");
        }
        long tocAt = size - INDEX_TOC_LEN;
        ByteBuffer toc = ByteBuffer.wrap(readRange(bkt, index, tocAt, INDEX_TOC_LEN));
        if (toc.getInt(48) != Decbuf.crc32c(toc, 0, 48)) {
            throw ThanosException.corrupted("build index-header of block " + id + ": TOC checksum mismatch in " + index
                    + " at offset " + tocAt);
        }
        long symbols = toc.getLong(0);
        long series = toc.getLong(8);
        long postingsTable = toc.getLong(40);
        if (symbols < INDEX_HEADER_LEN || series < symbols || postingsTable < series || postingsTable > tocAt) {
            throw ThanosException.corrupted("build index-header of block " + id + ": TOC of " + index + " at offset "
                    + tocAt + " has invalid section references (symbols " + symbols + ", series " + series
                    + ", postings offset table " + postingsTable + ")");
        }
        long symbolsLen = series - symbols;
        long tableLen = size - postingsTable;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                ByteBuffer head = ByteBuffer.allocate(HEADER_LEN);
                head.putInt(MAGIC).put((byte) VERSION).put((byte) version).putLong(postingsTable);
                out.write(head.array());
                copy(bkt, index, symbols, symbolsLen, out);
                copy(bkt, index, postingsTable, tableLen, out);
                ByteBuffer t = ByteBuffer.allocate(TOC_LEN);
                t.putLong(HEADER_LEN).putLong(HEADER_LEN + symbolsLen);
                CRC32C crc = new CRC32C();
                crc.update(t.array(), 0, 16);
                t.putInt((int) crc.getValue());
                out.write(t.array());
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The original failure matters.
            }
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write index-header of block " + id + " to " + file + ": " + e, e);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The original failure matters.
            }
            throw e;
        }
        return INDEX_HEADER_LEN + INDEX_TOC_LEN + symbolsLen + tableLen;
    }

    private static byte[] readRange(Bucket bkt, String name, long off, int len) {
        try (InputStream in = bkt.getRange(name, off, len)) {
            byte[] b = in.readNBytes(len);
            if (b.length != len) {
                throw ThanosException.corrupted("read " + name + ": range [" + off + ", " + (off + len) + ") returned only "
                        + b.length + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read " + name + " range [" + off + ", " + (off + len)
                    + ") from bucket " + bkt.name() + ": " + e, e);
        }
    }

    private static void copy(Bucket bkt, String name, long off, long len, OutputStream out) throws IOException {
        try (InputStream in = bkt.getRange(name, off, len)) {
            byte[] buf = new byte[1 << 16];
            long left = len;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw ThanosException.corrupted("read " + name + ": range [" + off + ", " + (off + len)
                            + ") ended " + left + " bytes early");
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
