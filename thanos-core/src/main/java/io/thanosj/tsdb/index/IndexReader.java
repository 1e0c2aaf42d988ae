package io.thanosj.tsdb.index;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.encoding.ByteSource;
import io.thanosj.tsdb.encoding.Decbuf;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads an index file in format v2 (prometheus/prometheus {@code tsdb/docs/format/index.md})
 * through a {@link ByteSource}, so a memory-mapped file and bytes from a bucket share this decoder.
 * Opening verifies magic, version, TOC, symbol table and postings offset table (with their CRC32C);
 * series and postings lists are checked when read. Corruption raises {@link ThanosException} naming
 * the file and offset. Thread-safe after construction.
 */
public final class IndexReader implements Closeable {
    private final ByteSource src;
    private final String file;
    private final long seriesStart;
    private final long seriesEnd;
    private final Symbols symbols;
    private final PostingsTable table;

    private IndexReader(ByteSource src) {
        this.src = src;
        this.file = src.name();
        long size = src.length();
        if (size < IndexFormat.HEADER_LEN + IndexFormat.TOC_LEN) {
            throw ThanosException.corrupted("read " + file + ": file of " + size + " bytes is too short for an index at offset 0");
        }
        ByteBuffer h = src.slice(0, IndexFormat.HEADER_LEN);
        int magic = h.getInt(0);
        if (magic != IndexFormat.MAGIC) {
            throw ThanosException.corrupted("read " + file + ": invalid magic number " + Integer.toHexString(magic) + " at offset 0");
        }
        int version = h.get(4) & 0xff;
        if (version != IndexFormat.FORMAT_V2) {
            throw ThanosException.corrupted("read " + file + ": unsupported index format version " + version + " at offset 4");
        }
        long tocAt = size - IndexFormat.TOC_LEN;
        ByteBuffer toc = src.slice(tocAt, IndexFormat.TOC_LEN);
        int want = toc.getInt(48);
        int got = Decbuf.crc32c(toc, 0, 48);
        if (want != got) {
            throw ThanosException.corrupted("read " + file + ": TOC checksum mismatch at offset " + tocAt);
        }
        long symbolsAt = toc.getLong(0);
        seriesStart = toc.getLong(8);
        seriesEnd = toc.getLong(16); // label indices follow the series
        long postingsTableAt = toc.getLong(40);
        for (int i = 0; i < 6; i++) {
            long v = toc.getLong(i * 8);
            if (v < 0 || v > tocAt) {
                throw ThanosException.corrupted("read " + file + ": TOC entry " + i + " points to " + v
                        + ", outside the file, at offset " + (tocAt + i * 8));
            }
        }
        if (seriesStart > seriesEnd) {
            throw ThanosException.corrupted("read " + file + ": TOC series section ends before it starts at offset " + tocAt);
        }
        symbols = new Symbols(src, symbolsAt);
        table = new PostingsTable(src, postingsTableAt);
        for (String n : table.names()) {
            if (symbols.reverseLookup(n) < 0) {
                throw ThanosException.corrupted("read " + file + ": label name \"" + n + "\" is missing from the symbol table");
            }
        }
    }

    /** Memory-maps and opens an index file; {@code block} names it in errors. */
    public static IndexReader open(Path file, String block) {
        ByteSource s = ByteSource.mmap(file, block + "/index");
        try {
            return new IndexReader(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Opens an index over any byte source; closing the reader closes the source. */
    public static IndexReader open(ByteSource src) {
        return new IndexReader(src);
    }

    public long size() {
        return src.length();
    }

    public int numSymbols() {
        return symbols.count();
    }

    public String symbol(int i) {
        return symbols.lookup(i);
    }

    private String lookupSymbol(long id) {
        return symbols.lookup(id);
    }

    // ---- label names and values ----

    /** All label names, sorted. */
    public List<String> labelNames() {
        return List.copyOf(table.names());
    }

    /** All values of a label, sorted; empty when the label does not exist. */
    public List<String> labelValues(String name) {
        PostingsTable.NameValues nv = table.get(name);
        if (nv == null || name.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(nv.count);
        table.scan(nv, null, (v, off) -> out.add(v));
        return out;
    }

    /** Values of a label among series matching all matchers, sorted. */
    public List<String> labelValues(String name, List<Matcher> matchers) {
        if (matchers.isEmpty()) {
            return labelValues(name);
        }
        PostingsTable.NameValues nv = table.get(name);
        if (nv == null || name.isEmpty()) {
            return List.of();
        }
        long[] matched = PostingsOps.toArray(postingsForMatchers(matchers));
        if (matched.length == 0) {
            return List.of();
        }
        if (matched.length < nv.count) {
            // Fewer series than values: read the series.
            TreeSet<String> out = new TreeSet<>(Utf8Order::compare);
            LabelsBuilder lb = new LabelsBuilder();
            ChunkMetas chks = new ChunkMetas();
            Decbuf d = new Decbuf();
            for (long ref : matched) {
                series(ref, lb, chks, d);
                String v = lb.get(name);
                if (!v.isEmpty()) {
                    out.add(v);
                }
            }
            return new ArrayList<>(out);
        }
        List<String> out = new ArrayList<>();
        table.scan(nv, null, (v, off) -> {
            Postings p = readPostings(off);
            Postings m = PostingsOps.of(matched);
            if (PostingsOps.intersect(p, m).next()) {
                out.add(v);
            }
            return true;
        });
        return out;
    }

    /** Label names among series matching all matchers, sorted. */
    public List<String> labelNames(List<Matcher> matchers) {
        if (matchers.isEmpty()) {
            return labelNames();
        }
        TreeSet<String> out = new TreeSet<>(Utf8Order::compare);
        Postings p = postingsForMatchers(matchers);
        Decbuf d = new Decbuf();
        while (p.next()) {
            Decbuf s = seriesBody(p.at(), d);
            int n = s.uvarintInt();
            for (int i = 0; i < n; i++) {
                out.add(lookupSymbol(s.uvarint32()));
                s.uvarint32();
            }
        }
        return new ArrayList<>(out);
    }

    // ---- postings ----

    /** Postings of one label pair; empty when absent. */
    public Postings postings(String name, String value) {
        long off = table.find(name, value);
        return off < 0 ? PostingsOps.EMPTY : readPostings(off);
    }

    /** Union of the postings of {@code name} with any of the values. */
    public Postings postings(String name, Collection<String> values) {
        List<Postings> ps = new ArrayList<>(values.size());
        for (String v : values) {
            long off = table.find(name, v);
            if (off >= 0) {
                ps.add(readPostings(off));
            }
        }
        return union(ps);
    }

    /** Every series in the index. */
    public Postings allPostings() {
        return postings("", "");
    }

    private static final int MATERIALIZE_FAN_IN = 64;

    /** Many small lists merge faster by sorting their concatenation than through a heap. */
    private static Postings union(List<Postings> ps) {
        if (ps.size() <= MATERIALIZE_FAN_IN) {
            return PostingsOps.merge(ps);
        }
        long[] all = new long[64];
        int n = 0;
        for (Postings p : ps) {
            while (p.next()) {
                if (n == all.length) {
                    all = Arrays.copyOf(all, n * 2);
                }
                all[n++] = p.at();
            }
        }
        Arrays.sort(all, 0, n);
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w == 0 || all[w - 1] != all[i]) {
                all[w++] = all[i];
            }
        }
        return PostingsOps.of(all, 0, w);
    }

    Postings readPostings(long off) {
        ByteBuffer b = Sections.read(src, off, "postings list");
        if (b.limit() < 4) {
            throw ThanosException.corrupted("read " + file + ": postings list at offset " + off + " is shorter than its count");
        }
        int n = b.getInt(0);
        if (n < 0 || 4L + 4L * n != b.limit()) {
            throw ThanosException.corrupted("read " + file + ": postings list at offset " + off + " claims "
                    + Integer.toUnsignedString(n) + " entries in " + (b.limit() - 4) + " bytes");
        }
        return n == 0 ? PostingsOps.EMPTY : new BigEndianPostings(b, 4, n);
    }

    /**
     * Series matching all matchers, as Prometheus's {@code PostingsForMatchers}: matchers that cannot
     * match the empty value are intersected, the others subtracted, so {@code l=""} also selects series
     * without {@code l}. Returns nothing for no matchers.
     */
    public Postings postingsForMatchers(List<Matcher> ms) {
        List<Postings> its = new ArrayList<>();
        List<Postings> notIts = new ArrayList<>();
        Set<String> mustBeSet = new HashSet<>();
        for (Matcher m : ms) {
            if (!m.matchesEmpty()) {
                mustBeSet.add(m.name());
            }
        }
        for (Matcher m : ms) {
            boolean matchesEmpty = m.matchesEmpty();
            boolean isNot = m.type().isNegative();
            if (mustBeSet.contains(m.name())) {
                if (isNot && matchesEmpty) { // l!="foo": subtract l="foo" at the end
                    notIts.add(postingsForMatcher(inverse(m)));
                } else if (isNot) { // l!="": series having any value the inverse rejects
                    Postings p = inversePostingsForMatcher(inverse(m));
                    if (p == PostingsOps.EMPTY) {
                        return PostingsOps.EMPTY;
                    }
                    its.add(p);
                } else { // l="a"
                    Postings p = postingsForMatcher(m);
                    if (p == PostingsOps.EMPTY) {
                        return PostingsOps.EMPTY;
                    }
                    its.add(p);
                }
            } else { // l="" also selects series without the label: subtract those with a rejected value
                notIts.add(inversePostingsForMatcher(m));
            }
        }
        if (its.isEmpty() && !notIts.isEmpty()) {
            its.add(allPostings());
        }
        Postings it = PostingsOps.intersect(its);
        for (Postings n : notIts) {
            it = PostingsOps.without(it, n);
        }
        return it;
    }

    private static Matcher inverse(Matcher m) {
        MatchType t = switch (m.type()) {
            case EQUAL -> MatchType.NOT_EQUAL;
            case NOT_EQUAL -> MatchType.EQUAL;
            case REGEX -> MatchType.NOT_REGEX;
            case NOT_REGEX -> MatchType.REGEX;
        };
        return Matcher.of(t, m.name(), m.value());
    }

    private Postings postingsForMatcher(Matcher m) {
        if (m.type() == MatchType.EQUAL) {
            return postings(m.name(), m.value());
        }
        Set<String> set = m.setMatches();
        if (set != null) {
            String[] sorted = set.toArray(new String[0]);
            Arrays.sort(sorted, Utf8Order::compare);
            return postings(m.name(), Arrays.asList(sorted));
        }
        PostingsTable.NameValues nv = table.get(m.name());
        if (nv == null || m.name().isEmpty()) {
            return PostingsOps.EMPTY;
        }
        List<Postings> ps = new ArrayList<>();
        String prefix = m.prefix();
        if (prefix != null) {
            table.scan(nv, prefix, (v, off) -> {
                if (!v.startsWith(prefix)) {
                    return false;
                }
                if (m.matches(v)) {
                    ps.add(readPostings(off));
                }
                return true;
            });
        } else {
            table.scan(nv, null, (v, off) -> {
                if (m.matches(v)) {
                    ps.add(readPostings(off));
                }
                return true;
            });
        }
        return union(ps);
    }

    private Postings inversePostingsForMatcher(Matcher m) {
        PostingsTable.NameValues nv = table.get(m.name());
        if (nv == null || m.name().isEmpty()) {
            return PostingsOps.EMPTY;
        }
        List<Postings> ps = new ArrayList<>();
        table.scan(nv, null, (v, off) -> {
            if (!m.matches(v)) {
                ps.add(readPostings(off));
            }
            return true;
        });
        return union(ps);
    }

    // ---- series ----

    /** Bytes read at once for a series entry: most entries fit, longer ones take a second read. */
    private static final int SERIES_WINDOW = 512;

    /**
     * The body of a series (after its length), CRC-checked; {@code d} is reused. Reads the mapped
     * file in place ({@link ByteSource#shared}) where it can: a slice object per series entry cost
     * more than decoding the entry.
     */
    private Decbuf seriesBody(long ref, Decbuf d) {
        long off = ref * IndexFormat.SERIES_ALIGN;
        if (ref < 0 || off < seriesStart || off >= seriesEnd) {
            throw ThanosException.corrupted("read " + file + ": series reference " + ref + " (offset " + off
                    + ") is outside the series section [" + seriesStart + ", " + seriesEnd + ")");
        }
        int window = (int) Math.min(SERIES_WINDOW, seriesEnd - off);
        ByteBuffer w = src.shared(off, window);
        int w0 = 0;
        if (w == null) {
            w = src.slice(off, window);
        } else {
            w0 = src.sharedIndex(off);
        }
        d.reset(w, off - w0, file, w0, w0 + window);
        int len = d.uvarintInt();
        int hl = d.position() - w0;
        if (off + hl + len + 4 > seriesEnd) {
            throw ThanosException.corrupted("read " + file + ": series of " + len + " bytes at offset " + off
                    + " runs past the series section");
        }
        if (hl + len + 4 > window) {
            long bodyOff = off + hl;
            w = src.shared(bodyOff, len + 4);
            if (w == null) {
                w = src.slice(bodyOff, len + 4);
                w0 = 0;
            } else {
                w0 = src.sharedIndex(bodyOff);
            }
        } else {
            w0 += hl;
        }
        // Every byte of the entry is decoded: copy it out once rather than read the mapped buffer
        // with a checked get per byte.
        d.resetCopy(w, w0, w0 + len + 4, off + hl, file);
        d.position(len);
        int want = d.be32();
        if (d.crc32c(0, len) != want) {
            throw ThanosException.corrupted("read " + file + ": series checksum mismatch at offset " + off);
        }
        d.position(0);
        d.limit(len);
        return d;
    }

    /**
     * Decodes series {@code ref} into {@code lb} (reset first) and {@code chks} (cleared first).
     * Returns false when the stored labels were not strictly sorted by name (Prometheus 2.8 and
     * older could write such series; the builder sorts them), true otherwise.
     */
    public boolean series(long ref, LabelsBuilder lb, ChunkMetas chks) {
        return series(ref, lb, chks, new Decbuf());
    }

    /** As {@link #series(long, LabelsBuilder, ChunkMetas)}, reusing {@code scratch} (one per thread) for reading. */
    public boolean series(long ref, LabelsBuilder lb, ChunkMetas chks, Decbuf scratch) {
        Decbuf d = seriesBody(ref, scratch);
        lb.reset();
        chks.clear();
        int nl = d.uvarintInt();
        boolean sorted = true;
        String prev = null;
        for (int i = 0; i < nl; i++) {
            String name = lookupSymbol(d.uvarint32());
            String value = lookupSymbol(d.uvarint32());
            if (sorted && (prev == null || Utf8Order.compare(prev, name) < 0)) {
                lb.appendInterned(name, value); // symbols are interned
            } else {
                sorted = false;
                lb.set(name, value);
            }
            prev = name;
        }
        int nc = d.uvarintInt();
        if (nc > 0) {
            long mint = d.varint64();
            long maxt = mint + d.uvarint64();
            long cref = d.uvarint64();
            chks.add(cref, mint, maxt);
            for (int i = 1; i < nc; i++) {
                mint = maxt + d.uvarint64();
                maxt = mint + d.uvarint64();
                cref += d.varint64();
                chks.add(cref, mint, maxt);
            }
        }
        if (d.remaining() != 0) {
            throw d.corrupt(d.remaining() + " unexpected bytes at the end of series " + ref);
        }
        return sorted;
    }

    /** Series matching all matchers that have chunks overlapping {@code [mint, maxt]}, with only those chunks. */
    public SeriesCursor select(long mint, long maxt, List<Matcher> matchers) {
        return new Select(postingsForMatchers(matchers), mint, maxt, null);
    }

    /**
     * As {@link #select(long, long, List)}, with {@code edit} applied to each selected series' labels
     * before they are built (adding or dropping labels), so a caller that changes every label set
     * builds each once. Matchers apply to the labels as stored.
     */
    public SeriesCursor select(long mint, long maxt, List<Matcher> matchers, Consumer<LabelsBuilder> edit) {
        return new Select(postingsForMatchers(matchers), mint, maxt, edit);
    }

    public SeriesCursor select(long mint, long maxt, Matcher... matchers) {
        return select(mint, maxt, Arrays.asList(matchers));
    }

    private final class Select implements SeriesCursor {
        private final Postings p;
        private final long mint;
        private final long maxt;
        private final LabelsBuilder lb = new LabelsBuilder();
        private final ChunkMetas chks = new ChunkMetas();
        private final Decbuf d = new Decbuf();
        private final Consumer<LabelsBuilder> edit;
        private Labels labels;
        private long ref;

        Select(Postings p, long mint, long maxt, Consumer<LabelsBuilder> edit) {
            this.p = p;
            this.mint = mint;
            this.maxt = maxt;
            this.edit = edit;
        }

        @Override
        public boolean next() {
            while (p.next()) {
                ref = p.at();
                series(ref, lb, chks, d);
                chks.retainOverlapping(mint, maxt);
                if (!chks.isEmpty()) {
                    if (edit != null) {
                        edit.accept(lb);
                    }
                    labels = lb.build();
                    return true;
                }
            }
            return false;
        }

        @Override
        public long ref() {
            return ref;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public ChunkMetas chunks() {
            return chks;
        }
    }

    @Override
    public void close() {
        src.close();
    }
}
