package io.thanosj.tsdb.index;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.encoding.Decbuf;
import io.thanosj.tsdb.encoding.Encbuf;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes an index file in format v2, byte for byte as Prometheus 2.42's {@code index.Writer}. It is
 * a state machine (symbols, series, done) that rejects out-of-order calls: add all symbols, sorted
 * in Go (UTF-8 byte) order, then series sorted by label set, each with chunk references that never
 * decrease, then {@link #close}. Closing builds label indices, postings (re-reading the series
 * section in batches of label names, so memory stays bounded by the series count), the label and
 * postings offset tables and the TOC, then fsyncs. Postings are staged in temporary files
 * {@code index_tmp_p} and {@code index_tmp_po} beside the index, as Prometheus does.
 */
public final class IndexWriter implements Closeable {
    private enum Stage { NONE, SYMBOLS, SERIES, DONE }

    private final Path file;
    private final BufferedFile f;
    private Stage stage = Stage.NONE;

    private long tocSymbols;
    private long tocSeries;
    private long tocLabelIndices;
    private long tocLabelIndicesTable;
    private long tocPostings;
    private long tocPostingsTable;

    private String[] symbols = new String[0];
    private SymbolMap symbolMap;            // built on the first series given as Labels
    private int[] nameUses = new int[0];    // series per label name, by symbol number
    private long[] seriesIds = new long[1024];
    private int numSeries;
    private int[] lastRefs = new int[16];   // the previous series' label symbols
    private int lastLen = -1;
    private int[] refs = new int[16];
    private long lastChunkRef;

    private final Encbuf buf1 = new Encbuf(1 << 16);
    private final Encbuf buf2 = new Encbuf(1 << 16);
    private boolean closed;

    public IndexWriter(Path file) {
        this.file = file;
        this.f = new BufferedFile(file);
        buf1.reset().putBE32(IndexFormat.MAGIC).putByte(IndexFormat.FORMAT_V2);
        f.write(buf1.array(), 0, buf1.len());
    }

    private void ensureStage(Stage s) {
        if (closed && s != Stage.DONE) {
            throw new IllegalStateException("index writer for " + file + " is closed");
        }
        if (stage == s) {
            return;
        }
        if (stage.ordinal() > s.ordinal()) {
            throw new IllegalStateException("index writer: invalid stage " + s.name().toLowerCase() + ", currently at "
                    + stage.name().toLowerCase());
        }
        if (stage.ordinal() < s.ordinal() - 1) {
            ensureStage(Stage.values()[s.ordinal() - 1]);
        }
        switch (s) {
            case SYMBOLS -> tocSymbols = f.pos();
            case SERIES -> {
                writeSymbolTable();
                tocSeries = f.pos();
            }
            case DONE -> finish();
            default -> { }
        }
        stage = s;
    }

    /**
     * Adds the symbol table: every label name and value used by the series, sorted in UTF-8 byte
     * order without duplicates. Must be called once, before any series.
     */
    public void addSymbols(Collection<String> sortedSymbols) {
        ensureStage(Stage.SYMBOLS);
        if (symbols.length != 0) {
            throw new IllegalStateException("index writer: symbols were already added");
        }
        String[] s = sortedSymbols.toArray(new String[0]);
        for (int i = 1; i < s.length; i++) {
            if (Utf8Order.compare(s[i - 1], s[i]) >= 0) {
                throw new IllegalArgumentException("symbol \"" + s[i] + "\" out of order after \"" + s[i - 1] + "\"");
            }
        }
        symbols = s;
        nameUses = new int[s.length];
    }

    private void writeSymbolTable() {
        // len <4b> | #symbols <4b> | (len <uvarint> str)* | CRC32C over everything after len.
        long bodyLen = 4;
        byte[][] utf8 = new byte[symbols.length][];
        for (int i = 0; i < symbols.length; i++) {
            utf8[i] = symbols[i].getBytes(StandardCharsets.UTF_8);
            bodyLen += Encbuf.uvarintSize(utf8[i].length) + utf8[i].length;
        }
        if (bodyLen > 0xffffffffL) {
            throw new ThanosException(io.thanosj.model.ErrorCode.RESOURCE_EXHAUSTED,
                    "write index " + file + ": symbol table of " + bodyLen + " bytes exceeds 4 GiB");
        }
        CRC32C crc = new CRC32C();
        buf1.reset().putBE32((int) bodyLen).putBE32(symbols.length);
        crc.update(buf1.array(), 4, 4);
        f.write(buf1.array(), 0, buf1.len());
        for (byte[] u : utf8) {
            buf1.reset().putUvarintBytes(u);
            crc.update(buf1.array(), 0, buf1.len());
            f.write(buf1.array(), 0, buf1.len());
        }
        buf1.reset().putBE32((int) crc.getValue());
        f.write(buf1.array(), 0, 4);
    }

    /**
     * Adds a series after all previously added ones (strictly greater label set) and returns its
     * reference, the series' offset divided by 16. Chunks must be in time order without overlap, and
     * their references must not decrease across the whole index.
     */
    public long addSeries(Labels lset, ChunkMetas chunks) {
        ensureStage(Stage.SERIES);
        if (symbolMap == null) {
            symbolMap = new SymbolMap(symbols);
        }
        final int n = lset.size() * 2;
        if (refs.length < n) {
            refs = new int[n];
        }
        for (int i = 0; i < lset.size(); i++) {
            final int ns = symbolMap.get(lset.name(i));
            final int vs = symbolMap.get(lset.value(i));
            if (ns < 0 || vs < 0) {
                throw new IllegalArgumentException("symbol entry for \"" + (ns < 0 ? lset.name(i) : lset.value(i)) + "\" does not exist");
            }
            refs[2 * i] = ns;
            refs[2 * i + 1] = vs;
        }
        return addSeries(refs, n, chunks);
    }

    /**
     * Adds a series given as symbol numbers (name, value, name, value, ...) into the sorted symbol
     * table, so that writers that track symbols themselves hand over no strings. As numbers follow
     * the symbols' order, comparing them orders label sets as {@link Labels#compareTo} does. The
     * array is copied; otherwise as {@link #addSeries(Labels, ChunkMetas)}.
     */
    public long addSeries(int[] symbolRefs, int len, ChunkMetas chunks) {
        ensureStage(Stage.SERIES);
        if ((len & 1) != 0 || len > symbolRefs.length) {
            throw new IllegalArgumentException("label symbol references must come in name/value pairs, got " + len);
        }
        for (int i = 0; i < len; i++) {
            if (symbolRefs[i] < 0 || symbolRefs[i] >= symbols.length) {
                throw new IllegalArgumentException("symbol reference " + symbolRefs[i] + " out of range of " + symbols.length + " symbols");
            }
        }
        if (lastLen >= 0 && compare(symbolRefs, len, lastRefs, lastLen) <= 0) {
            throw new IllegalArgumentException("out-of-order series added with label set " + labels(symbolRefs, len)
                    + ", last label set " + labels(lastRefs, lastLen));
        }
        long lastRef = lastChunkRef;
        long lastMaxT = 0;
        for (int i = 0; i < chunks.size(); i++) {
            long ref = chunks.ref(i);
            if (Long.compareUnsigned(ref, lastRef) < 0) {
                throw new IllegalArgumentException("unsorted chunk reference: " + ref + ", previous: " + lastRef);
            }
            lastRef = ref;
            if (i > 0 && chunks.minTime(i) <= lastMaxT) {
                throw new IllegalArgumentException("chunk minT " + chunks.minTime(i) + " is not higher than previous chunk maxT " + lastMaxT);
            }
            if (chunks.maxTime(i) < chunks.minTime(i)) {
                throw new IllegalArgumentException("chunk maxT " + chunks.maxTime(i) + " is less than minT " + chunks.minTime(i));
            }
            lastMaxT = chunks.maxTime(i);
        }
        f.padTo(IndexFormat.SERIES_ALIGN);
        long id = f.pos() / IndexFormat.SERIES_ALIGN;
        if (id > 0xffffffffL) {
            throw new ThanosException(io.thanosj.model.ErrorCode.RESOURCE_EXHAUSTED, "write index " + file
                    + ": series reference exceeds 32 bits");
        }
        buf2.reset().putUvarint64(len >>> 1);
        for (int i = 0; i < len; i += 2) {
            nameUses[symbolRefs[i]]++;
            buf2.putUvarint64(symbolRefs[i]).putUvarint64(symbolRefs[i + 1]);
        }
        buf2.putUvarint64(chunks.size());
        if (chunks.size() > 0) {
            long t0 = chunks.maxTime(0);
            long ref0 = chunks.ref(0);
            buf2.putVarint64(chunks.minTime(0)).putUvarint64(chunks.maxTime(0) - chunks.minTime(0)).putUvarint64(ref0);
            for (int i = 1; i < chunks.size(); i++) {
                buf2.putUvarint64(chunks.minTime(i) - t0).putUvarint64(chunks.maxTime(i) - chunks.minTime(i));
                t0 = chunks.maxTime(i);
                buf2.putVarint64(chunks.ref(i) - ref0);
                ref0 = chunks.ref(i);
            }
        }
        int bodyLen = buf2.len();
        buf2.putCrc32c(0);
        buf1.reset().putUvarint64(bodyLen);
        f.write(buf1.array(), 0, buf1.len());
        f.write(buf2.array(), 0, buf2.len());
        if (numSeries == seriesIds.length) {
            seriesIds = Arrays.copyOf(seriesIds, numSeries * 2);
        }
        seriesIds[numSeries++] = id;
        if (lastRefs.length < len) {
            lastRefs = new int[len];
        }
        System.arraycopy(symbolRefs, 0, lastRefs, 0, len);
        lastLen = len;
        lastChunkRef = lastRef;
        return id;
    }

    private static int compare(int[] a, int an, int[] b, int bn) {
        final int n = Math.min(an, bn);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return Integer.compare(an, bn);
    }

    private Labels labels(int[] r, int len) {
        String[] kv = new String[len];
        for (int i = 0; i < len; i++) {
            kv[i] = symbols[r[i]];
        }
        return Labels.of(kv);
    }

    public int numSeries() {
        return numSeries;
    }

    /** Finishes the index (postings, tables, TOC), fsyncs and closes it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            ensureStage(Stage.DONE);
            f.sync();
        } finally {
            closed = true;
            f.close();
        }
    }

    /** Closes and deletes the unfinished index and its temporary files. */
    public void abort() {
        closed = true;
        try {
            f.closeAndDelete();
        } catch (ThanosException ignored) {
            // best effort on an error path
        }
        deleteQuietly(file.resolveSibling(file.getFileName() + "_tmp_p"));
        deleteQuietly(file.resolveSibling(file.getFileName() + "_tmp_po"));
    }

    private static void deleteQuietly(Path p) {
        try {
            java.nio.file.Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
            // best effort
        }
    }

    // ---- done stage ----

    private BufferedFile fP;
    private BufferedFile fPO;
    private long cntPO;
    private final List<String> labelIndexNames = new ArrayList<>();
    private final List<Long> labelIndexOffsets = new ArrayList<>();

    private void finish() {
        tocLabelIndices = f.pos();
        fP = new BufferedFile(file.resolveSibling(file.getFileName() + "_tmp_p"));
        fPO = new BufferedFile(file.resolveSibling(file.getFileName() + "_tmp_po"));
        try {
            writePostingsAndLabelIndices();
            tocPostings = f.pos();
            f.padTo(4);
            long postingsStart = f.pos();
            f.append(fP);
            tocLabelIndicesTable = f.pos();
            writeLabelIndexOffsetTable();
            tocPostingsTable = f.pos();
            writePostingsOffsetTable(postingsStart);
            writeToc();
        } finally {
            fP.closeAndDelete();
            fPO.closeAndDelete();
        }
    }

    private void writePostingsAndLabelIndices() {
        writePosting("", "", seriesIds, 0, numSeries);
        // Symbol numbers follow the symbols' order, so used names come out sorted.
        int used = 0;
        for (int u : nameUses) {
            used += u > 0 ? 1 : 0;
        }
        int[] nameRefs = new int[used];
        String[] names = new String[used];
        for (int i = 0, k = 0; i < nameUses.length; i++) {
            if (nameUses[i] > 0) {
                nameRefs[k] = i;
                names[k++] = symbols[i];
            }
        }
        ByteBuffer series = f.map(tocSeries, tocLabelIndices);
        Decbuf d = new Decbuf();
        int next = 0;
        long[] values = new long[16];
        while (next < names.length) {
            // Batch label names whose uses fit in one series count, bounding memory as Prometheus does.
            int from = next;
            long uses = 0;
            while (next < names.length && (next == from || uses + nameUses[nameRefs[next]] <= numSeries)) {
                uses += nameUses[nameRefs[next]];
                next++;
            }
            int k = next - from;
            int[] nameSyms = new int[k];
            long[][] entries = new long[k][];
            int[] counts = new int[k];
            for (int i = 0; i < k; i++) {
                nameSyms[i] = nameRefs[from + i];
                entries[i] = new long[nameUses[nameRefs[from + i]]];
            }
            d.reset(series, tocSeries, file.toString());
            while (d.remaining() > 0) {
                if (series.get(d.position()) == 0) {
                    d.skip(1); // padding between series
                    continue;
                }
                long id = (tocSeries + d.position()) / IndexFormat.SERIES_ALIGN;
                int len = d.uvarintInt();
                int end = d.position() + len;
                int nl = d.uvarintInt();
                for (int j = 0; j < nl; j++) {
                    int ns = (int) d.uvarint32();
                    int vs = (int) d.uvarint32();
                    int slot = Arrays.binarySearch(nameSyms, ns);
                    if (slot >= 0) {
                        // value symbol in the high half so sorting groups by value, then by series.
                        entries[slot][counts[slot]++] = (((long) vs << 32) | id) ^ Long.MIN_VALUE;
                    }
                }
                d.position(end + 4);
            }
            for (int i = 0; i < k; i++) {
                long[] e = entries[i];
                Arrays.sort(e, 0, counts[i]);
                int nv = 0;
                int start = 0;
                long[] ids = new long[counts[i]];
                for (int j = 0; j < counts[i]; j++) {
                    long x = e[j] ^ Long.MIN_VALUE;
                    ids[j] = x & 0xffffffffL;
                }
                for (int j = 1; j <= counts[i]; j++) {
                    long prevSym = (e[j - 1] ^ Long.MIN_VALUE) >>> 32;
                    if (j == counts[i] || ((e[j] ^ Long.MIN_VALUE) >>> 32) != prevSym) {
                        if (nv == values.length) {
                            values = Arrays.copyOf(values, nv * 2);
                        }
                        values[nv++] = prevSym;
                        writePosting(names[from + i], symbols[(int) prevSym], ids, start, j);
                        start = j;
                    }
                }
                writeLabelIndex(names[from + i], values, nv);
            }
        }
    }

    private void writePosting(String name, String value, long[] ids, int from, int to) {
        fP.padTo(4);
        buf1.reset().putUvarint64(2).putUvarintStr(name).putUvarintStr(value).putUvarint64(fP.pos());
        fPO.write(buf1.array(), 0, buf1.len());
        cntPO++;
        int n = to - from;
        buf2.reset().putBE32(4 + 4 * n).putBE32(n);
        for (int i = from; i < to; i++) {
            buf2.putBE32((int) ids[i]);
        }
        buf2.putCrc32c(4);
        fP.write(buf2.array(), 0, buf2.len());
    }

    private void writeLabelIndex(String name, long[] valueSyms, int n) {
        f.padTo(4);
        labelIndexNames.add(name);
        labelIndexOffsets.add(f.pos());
        buf2.reset().putBE32(4 + 4 + 4 * n).putBE32(1).putBE32(n);
        for (int i = 0; i < n; i++) {
            buf2.putBE32((int) valueSyms[i]);
        }
        buf2.putCrc32c(4);
        f.write(buf2.array(), 0, buf2.len());
    }

    private void writeLabelIndexOffsetTable() {
        buf2.reset().putBE32(0).putBE32(labelIndexNames.size());
        for (int i = 0; i < labelIndexNames.size(); i++) {
            buf2.putUvarint64(1).putUvarintStr(labelIndexNames.get(i)).putUvarint64(labelIndexOffsets.get(i));
        }
        buf2.setBE32(0, buf2.len() - 4);
        buf2.putCrc32c(4);
        f.write(buf2.array(), 0, buf2.len());
    }

    private void writePostingsOffsetTable(long adjustment) {
        long start = f.pos();
        CRC32C crc = new CRC32C();
        buf1.reset().putBE32(0).putBE32((int) cntPO);
        crc.update(buf1.array(), 4, 4);
        f.write(buf1.array(), 0, buf1.len());
        ByteBuffer po = fPO.map(0, fPO.pos());
        Decbuf d = new Decbuf(po, 0, fPO.path().toString());
        for (long i = 0; i < cntPO; i++) {
            buf1.reset().putUvarint64(d.uvarint64());
            int n = d.uvarintInt();
            buf1.putUvarint64(n);
            copy(po, d, n);
            n = d.uvarintInt();
            buf1.putUvarint64(n);
            copy(po, d, n);
            buf1.putUvarint64(d.uvarint64() + adjustment);
            crc.update(buf1.array(), 0, buf1.len());
            f.write(buf1.array(), 0, buf1.len());
        }
        long len = f.pos() - start - 4;
        if (len > 0xffffffffL) {
            throw new ThanosException(io.thanosj.model.ErrorCode.RESOURCE_EXHAUSTED, "write index " + file
                    + ": postings offset table exceeds 4 GiB");
        }
        buf1.reset().putBE32((int) crc.getValue());
        f.write(buf1.array(), 0, 4);
        f.writeAt(start, new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
    }

    private void copy(ByteBuffer src, Decbuf d, int n) {
        int at = d.position();
        d.skip(n);
        for (int i = 0; i < n; i++) {
            buf1.putByte(src.get(at + i));
        }
    }

    private void writeToc() {
        buf1.reset().putBE64(tocSymbols).putBE64(tocSeries).putBE64(tocLabelIndices).putBE64(tocLabelIndicesTable)
                .putBE64(tocPostings).putBE64(tocPostingsTable);
        buf1.putCrc32c(0);
        f.write(buf1.array(), 0, buf1.len());
    }
}
