package io.thanosj.store.bucket;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.encoding.ByteSource;
import io.thanosj.tsdb.encoding.Decbuf;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped index-header: symbol lookups for series decoding and postings list ranges for
 * label pairs. As in Thanos, only every 32nd symbol position and every 32nd label value (with its
 * table position) are held on the heap; the rest is read from the mapped file by scanning at most
 * 32 entries. Label names and recently used values are cached as strings. Both sections' CRC32C
 * are checked when opened. Thread-safe.
 */
final class IndexHeaderReader implements Closeable {
    static final int SAMPLING = 32;
    private static final int VALUE_CACHE = 1024;

    /** Receives label values in order with their postings range; returns false to stop. */
    interface ValueVisitor {
        boolean visit(String value, long start, long end);
    }

    private static final class NameEntry {
        final String name;
        int count;
        String[] sampled = new String[2];
        int[] sampledPos = new int[2];
        int samples;
        long end;

        NameEntry(String name) {
            this.name = name;
        }
    }

    private record Cached(int id, String value) {}

    private final ByteSource src;
    private final String file;
    private final long indexPostingsTableOffset;
    private final ByteBuffer symbols;
    private final long symbolsAt;
    private final int symbolCount;
    private final int[] symbolSamples;
    private final ByteBuffer table;
    private final long tableAt;
    private final Map<String, NameEntry> byName = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final int[] nameIds;
    private final String[] nameStrings;
    private final Cached[] valueCache = new Cached[VALUE_CACHE];

    private IndexHeaderReader(ByteSource src) {
        this.src = src;
        this.file = src.name();
        long len = src.length();
        if (len < IndexHeaderWriter.HEADER_LEN + IndexHeaderWriter.TOC_LEN) {
            throw corrupt("file of " + len + " bytes is too short for an index-header", 0);
        }
        ByteBuffer h = src.slice(0, IndexHeaderWriter.HEADER_LEN);
        if (h.getInt(0) != IndexHeaderWriter.MAGIC) {
            throw corrupt("invalid magic number " + Integer.toHexString(h.getInt(0)), 0);
        }
        if ((h.get(4) & 0xff) != IndexHeaderWriter.VERSION) {
            throw corrupt("unknown index-header version " + (h.get(4) & 0xff), 4);
        }
        if ((h.get(5) & 0xff) != 2) {
            throw corrupt("unsupported index version " + (h.get(5) & 0xff), 5);
        }
        indexPostingsTableOffset = h.getLong(6);
        long tocAt = len - IndexHeaderWriter.TOC_LEN;
        ByteBuffer toc = src.slice(tocAt, IndexHeaderWriter.TOC_LEN);
        if (toc.getInt(16) != Decbuf.crc32c(toc, 0, 16)) {
            throw corrupt("TOC checksum mismatch", tocAt);
        }
        long symOff = toc.getLong(0);
        long tabOff = toc.getLong(8);
        if (symOff < IndexHeaderWriter.HEADER_LEN || tabOff < symOff || tabOff >= tocAt) {
            throw corrupt("TOC has invalid section references", tocAt);
        }
        symbols = section(symOff, "symbol table");
        symbolsAt = symOff + 4;
        Decbuf d = new Decbuf(symbols, symbolsAt, file);
        symbolCount = d.be32Int();
        if (symbolCount > symbols.limit()) {
            throw d.corrupt("symbol count " + symbolCount + " exceeds the section size");
        }
        symbolSamples = new int[(symbolCount + SAMPLING - 1) / SAMPLING];
        for (int i = 0; i < symbolCount; i++) {
            if ((i & (SAMPLING - 1)) == 0) {
                symbolSamples[i / SAMPLING] = d.position();
            }
            d.skipUvarintBytes();
        }
        table = section(tabOff, "postings offset table");
        tableAt = tabOff + 4;
        readTable();
        nameIds = new int[names.size()];
        nameStrings = new String[names.size()];
        int[][] pairs = new int[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            int id = reverseLookup(names.get(i));
            if (id < 0) {
                throw corrupt("label name \"" + names.get(i) + "\" is missing from the symbol table", symbolsAt);
            }
            pairs[i] = new int[] {id, i};
        }
        Arrays.sort(pairs, (a, b) -> Integer.compare(a[0], b[0]));
        for (int i = 0; i < pairs.length; i++) {
            nameIds[i] = pairs[i][0];
            nameStrings[i] = Labels.intern(names.get(pairs[i][1]));
        }
    }

    static IndexHeaderReader open(Path path, String blockId) {
        ByteSource s = ByteSource.mmap(path, blockId + "/" + IndexHeaderWriter.FILENAME);
        try {
            return new IndexHeaderReader(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private ThanosException corrupt(String detail, long offset) {
        return ThanosException.corrupted("read " + file + ": " + detail + " at offset " + offset);
    }

    /** The body of the {@code len | body | CRC32C} section at {@code off}, checksum verified. */
    private ByteBuffer section(long off, String what) {
        long size = src.length();
        if (off + 4 > size) {
            throw corrupt(what + " is outside the file", off);
        }
        long n = src.slice(off, 4).getInt(0) & 0xffffffffL;
        if (off + 8 + n > size || n > Integer.MAX_VALUE - 8) {
            throw corrupt(what + " of " + n + " bytes runs past the end of the file", off);
        }
        ByteBuffer all = src.slice(off + 4, (int) n + 4);
        if (all.getInt((int) n) != Decbuf.crc32c(all, 0, (int) n)) {
            throw corrupt(what + " checksum mismatch", off);
        }
        return all.limit((int) n).slice();
    }

    private void readTable() {
        Decbuf d = new Decbuf(table, tableAt, file);
        long count = d.be32() & 0xffffffffL;
        NameEntry cur = null;
        int curAt = -1;
        int curLen = 0;
        for (long i = 0; i < count; i++) {
            int entry = d.position();
            if (d.uvarintInt() != 2) {
                throw d.corrupt("postings offset table entry does not have 2 keys");
            }
            int nlen = d.uvarintInt();
            int nat = d.position();
            d.skip(nlen);
            int vlen = d.uvarintInt();
            int vat = d.position();
            d.skip(vlen);
            long off = d.uvarint64();
            if (cur == null || curLen != nlen || compare(table, nat, nlen, curAt, curLen) != 0) {
                if (cur != null) {
                    if (compare(table, nat, nlen, curAt, curLen) < 0) {
                        throw d.corrupt("postings offset table is not sorted by label name");
                    }
                    cur.end = off;
                }
                cur = new NameEntry(d.string(nat, nlen));
                curAt = nat;
                curLen = nlen;
                if (byName.put(cur.name, cur) != null) {
                    throw d.corrupt("label name \"" + cur.name + "\" appears twice in the postings offset table");
                }
                if (!cur.name.isEmpty()) {
                    names.add(cur.name);
                }
            }
            if (cur.count % SAMPLING == 0) {
                if (cur.samples == cur.sampled.length) {
                    cur.sampled = Arrays.copyOf(cur.sampled, cur.samples * 2);
                    cur.sampledPos = Arrays.copyOf(cur.sampledPos, cur.samples * 2);
                }
                cur.sampled[cur.samples] = d.string(vat, vlen);
                cur.sampledPos[cur.samples] = entry;
                cur.samples++;
            }
            cur.count++;
        }
        if (cur != null) {
            // The last list ends before the tables that follow the postings; reading up to the
            // table offset over-fetches a little, as Thanos does.
            cur.end = indexPostingsTableOffset;
        }
        for (NameEntry e : byName.values()) {
            e.sampled = Arrays.copyOf(e.sampled, e.samples);
            e.sampledPos = Arrays.copyOf(e.sampledPos, e.samples);
        }
    }

    private static int compare(ByteBuffer b, int a, int alen, int c, int clen) {
        int n = Math.min(alen, clen);
        for (int i = 0; i < n; i++) {
            int x = (b.get(a + i) & 0xff) - (b.get(c + i) & 0xff);
            if (x != 0) {
                return x;
            }
        }
        return alen - clen;
    }

    // ---- symbols ----

    int symbolCount() {
        return symbolCount;
    }

    /** The symbol numbered {@code id} (index v2 series refer to symbols by number). */
    String lookupSymbol(long id) {
        if (id < 0 || id >= symbolCount) {
            throw ThanosException.corrupted("read " + file + ": unknown symbol reference " + id + ", the symbol table has "
                    + symbolCount);
        }
        int i = (int) id;
        int k = Arrays.binarySearch(nameIds, i);
        if (k >= 0) {
            return nameStrings[k];
        }
        int slot = i & (VALUE_CACHE - 1);
        Cached c = valueCache[slot];
        if (c != null && c.id == i) {
            return c.value;
        }
        Decbuf d = new Decbuf(symbols, symbolsAt, file);
        d.position(symbolSamples[i / SAMPLING]);
        for (int skip = i & (SAMPLING - 1); skip > 0; skip--) {
            d.skipUvarintBytes();
        }
        String s = Labels.intern(d.uvarintStr());
        // Racy but safe: entries are immutable, a lost update only costs a decode.
        valueCache[slot] = new Cached(i, s);
        return s;
    }

    /** The number of a symbol, or -1 when absent. */
    int reverseLookup(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        Decbuf d = new Decbuf(symbols, symbolsAt, file);
        int lo = 0;
        int hi = symbolSamples.length - 1;
        int start = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            d.position(symbolSamples[mid]);
            int n = d.uvarintInt();
            int c = d.compareBytes(d.position(), n, u);
            if (c == 0) {
                return mid * SAMPLING;
            }
            if (c < 0) {
                start = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (start < 0) {
            return -1;
        }
        d.position(symbolSamples[start]);
        int end = Math.min(symbolCount, (start + 1) * SAMPLING);
        for (int i = start * SAMPLING; i < end; i++) {
            int n = d.uvarintInt();
            int c = d.compareBytes(d.position(), n, u);
            if (c == 0) {
                return i;
            }
            if (c > 0) {
                return -1;
            }
            d.skip(n);
        }
        return -1;
    }

    // ---- postings offset table ----

    /** Label names, sorted, without the all-postings key. */
    List<String> labelNames() {
        return names;
    }

    /** All values of a label, sorted; empty when the label is absent. */
    List<String> labelValues(String name) {
        NameEntry e = byName.get(name);
        if (e == null || name.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(e.count);
        scan(e, 0, (v, s, x) -> out.add(v));
        return out;
    }

    /** Number of values of a label (0 when absent). */
    int valueCount(String name) {
        NameEntry e = byName.get(name);
        return e == null ? 0 : e.count;
    }

    /** Visits every value of {@code name} in order with its postings list range. */
    void scanValues(String name, ValueVisitor v) {
        NameEntry e = byName.get(name);
        if (e != null) {
            scan(e, 0, v);
        }
    }

    /**
     * The byte range {@code [start, end)} of the postings list of {@code name=value} in the index
     * (from its length field to the start of the next list), written to {@code out}; false when
     * the pair is absent. {@code name=""}, {@code value=""} is every series.
     */
    boolean postingsRange(String name, String value, long[] out) {
        NameEntry e = byName.get(name);
        if (e == null) {
            return false;
        }
        int s = lastSampleAtMost(e, value);
        if (s < 0) {
            return false;
        }
        byte[] target = value.getBytes(StandardCharsets.UTF_8);
        Decbuf d = new Decbuf(table, tableAt, file);
        d.position(e.sampledPos[s]);
        int left = e.count - s * SAMPLING;
        for (int i = 0; i < left && i <= SAMPLING; i++) {
            d.uvarintInt();
            d.skipUvarintBytes();
            int vlen = d.uvarintInt();
            int c = d.compareBytes(d.position(), vlen, target);
            d.skip(vlen);
            long off = d.uvarint64();
            if (c == 0) {
                out[0] = off;
                if (i + 1 < left) {
                    d.uvarintInt();
                    d.skipUvarintBytes();
                    d.skipUvarintBytes();
                    out[1] = d.uvarint64();
                } else {
                    out[1] = e.end;
                }
                return true;
            }
            if (c > 0) {
                return false;
            }
        }
        return false;
    }

    private static int lastSampleAtMost(NameEntry e, String value) {
        return Utf8Order.lastAtMost(e.sampled, e.samples, value);
    }

    private void scan(NameEntry e, int fromSample, ValueVisitor v) {
        if (e.samples == 0) {
            return;
        }
        Decbuf d = new Decbuf(table, tableAt, file);
        d.position(e.sampledPos[fromSample]);
        int left = e.count - fromSample * SAMPLING;
        String prev = null;
        long prevOff = 0;
        for (int i = 0; i < left; i++) {
            d.uvarintInt();
            d.skipUvarintBytes();
            String value = d.uvarintStr();
            long off = d.uvarint64();
            if (prev != null && !v.visit(prev, prevOff, off)) {
                return;
            }
            prev = value;
            prevOff = off;
        }
        if (prev != null) {
            v.visit(prev, prevOff, e.end);
        }
    }

    /** Heap held by this reader beyond the mapped file, roughly. */
    long heapBytes() {
        long n = 200 + symbolSamples.length * 4L + nameIds.length * 4L + VALUE_CACHE * 8L;
        for (NameEntry e : byName.values()) {
            n += 96 + e.name.length() * 2L + e.sampledPos.length * 4L;
            for (String s : e.sampled) {
                n += 48 + s.length() * 2L;
            }
        }
        return n;
    }

    /** Size of the index-header file. */
    long fileBytes() {
        return src.length();
    }

    @Override
    public void close() {
        src.close();
    }
}
