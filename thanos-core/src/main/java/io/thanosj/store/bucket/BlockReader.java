package io.thanosj.store.bucket;

import io.thanosj.cache.IndexCache;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.encoding.Decbuf;
import io.thanosj.tsdb.index.Postings;
import io.thanosj.tsdb.index.PostingsOps;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Index reads of one block for one request (Thanos's {@code bucketIndexReader}): matchers become
 * postings groups whose lists come from the index cache or from merged range reads of the index,
 * then series entries are read in batches the same way. Symbols come from the index-header.
 */
final class BlockReader {
    /** Series refs are offsets divided by 16 in index v2. */
    static final int SERIES_ALIGN = 16;

    private final BucketBlock block;
    private final IndexHeaderReader header;
    private final QueryLimits limits;
    private final String indexFile;

    BlockReader(BucketBlock block, IndexHeaderReader header, QueryLimits limits) {
        this.block = block;
        this.header = header;
        this.limits = limits;
        this.indexFile = block.id + "/index";
    }

    IndexHeaderReader header() {
        return header;
    }

    // ---- postings ----

    /** A label pair to fetch, with its postings range once known. */
    private static final class Key {
        final String name;
        final String value;
        long start = -1;
        long end;
        long[] refs;

        Key(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    /** One matcher as postings: the union of {@code adds}, or all series, minus the union of {@code removes}. */
    private record Group(boolean addAll, List<Key> adds, List<Key> removes) {}

    /**
     * Series references matching all matchers, sorted, as Prometheus's {@code PostingsForMatchers}
     * (a matcher matching the empty value also selects series without the label). No matchers
     * select nothing.
     */
    long[] expandedPostings(List<Matcher> matchers) {
        if (matchers.isEmpty()) {
            return PostingsCodec.EMPTY;
        }
        Map<String, Key> keys = new LinkedHashMap<>();
        List<Group> groups = new ArrayList<>(matchers.size());
        for (Matcher m : matchers) {
            Group g = toGroup(m, keys);
            if (g == null) {
                return PostingsCodec.EMPTY;
            }
            groups.add(g);
        }
        boolean hasAdds = false;
        for (Group g : groups) {
            hasAdds |= !g.addAll;
        }
        Key all = null;
        if (!hasAdds) {
            all = key(keys, "", "");
        }
        fetchPostings(new ArrayList<>(keys.values()));
        List<Postings> its = new ArrayList<>();
        for (Group g : groups) {
            if (!g.addAll) {
                its.add(union(g.adds));
            }
        }
        if (all != null) {
            its.add(PostingsOps.of(all.refs));
        }
        Postings p = PostingsOps.intersect(its);
        for (Group g : groups) {
            if (g.addAll && !g.removes.isEmpty()) {
                p = PostingsOps.without(p, union(g.removes));
            }
        }
        return PostingsOps.toArray(p);
    }

    private static Key key(Map<String, Key> keys, String name, String value) {
        return keys.computeIfAbsent(name + '\u0000' + value, k -> new Key(name, value));
    }

    private static Postings union(List<Key> ks) {
        if (ks.size() == 1) {
            return PostingsOps.of(ks.get(0).refs);
        }
        int total = 0;
        for (Key k : ks) {
            total += k.refs.length;
        }
        if (ks.size() <= 64) {
            List<Postings> ps = new ArrayList<>(ks.size());
            for (Key k : ks) {
                ps.add(PostingsOps.of(k.refs));
            }
            return PostingsOps.merge(ps);
        }
        // Many small lists: sorting their concatenation beats a heap merge.
        long[] allRefs = new long[total];
        int n = 0;
        for (Key k : ks) {
            System.arraycopy(k.refs, 0, allRefs, n, k.refs.length);
            n += k.refs.length;
        }
        Arrays.sort(allRefs);
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w == 0 || allRefs[w - 1] != allRefs[i]) {
                allRefs[w++] = allRefs[i];
            }
        }
        return PostingsOps.of(allRefs, 0, w);
    }

    /** Thanos's {@code toPostingGroup}; null when the matcher can match no series. */
    private Group toGroup(Matcher m, Map<String, Key> keys) {
        String name = m.name();
        MatchType t = m.type();
        String v = m.value();
        if (t == MatchType.REGEX && v.equals(".*")) {
            return new Group(true, List.of(), List.of());
        }
        if (t == MatchType.NOT_REGEX && v.equals(".*")) {
            return null;
        }
        if (m.matchesEmpty()) {
            List<Key> removes = new ArrayList<>();
            if (t == MatchType.NOT_REGEX && invertedSet(m) != null) {
                for (String s : sorted(invertedSet(m))) {
                    removes.add(key(keys, name, s));
                }
            } else if (t == MatchType.NOT_EQUAL) {
                removes.add(key(keys, name, v));
            } else {
                boolean removeAll = (v.isEmpty() && (t == MatchType.EQUAL || t == MatchType.REGEX))
                        || (t == MatchType.NOT_REGEX && v.equals(".+"));
                header.scanValues(name, (val, s, e) -> {
                    if (removeAll || !m.matches(val)) {
                        Key k = key(keys, name, val);
                        k.start = s;
                        k.end = e;
                        removes.add(k);
                    }
                    return true;
                });
            }
            return new Group(true, List.of(), removes);
        }
        List<Key> adds = new ArrayList<>();
        Set<String> set = m.setMatches();
        if (set != null) {
            for (String s : sorted(set)) {
                adds.add(key(keys, name, s));
            }
        } else {
            boolean addAllValues = (v.isEmpty() && (t == MatchType.NOT_EQUAL || t == MatchType.NOT_REGEX))
                    || (t == MatchType.REGEX && v.equals(".+"));
            String prefix = m.prefix();
            header.scanValues(name, (val, s, e) -> {
                if (addAllValues || ((prefix == null || val.startsWith(prefix)) && m.matches(val))) {
                    Key k = key(keys, name, val);
                    k.start = s;
                    k.end = e;
                    adds.add(k);
                }
                return true;
            });
        }
        return adds.isEmpty() ? null : new Group(false, adds, List.of());
    }

    /** For {@code l!~"a|b"}: the literal values it rejects; otherwise null. */
    private static Set<String> invertedSet(Matcher m) {
        if (m.type() != MatchType.NOT_REGEX) {
            return null;
        }
        return Matcher.of(MatchType.REGEX, m.name(), m.value()).setMatches();
    }

    private static List<String> sorted(Set<String> s) {
        List<String> out = new ArrayList<>(s);
        out.sort(io.thanosj.model.Utf8Order::compare);
        return out;
    }

    /** Fills {@code refs} of every key: cache hits, then merged range reads of the rest. */
    private void fetchPostings(List<Key> keys) {
        List<IndexCache.PostingsKey> pks = new ArrayList<>(keys.size());
        for (Key k : keys) {
            pks.add(new IndexCache.PostingsKey(k.name, k.value));
        }
        byte[][] cached = block.indexCache.fetchPostings(block.id, pks);
        long touched = 0;
        List<Key> missing = new ArrayList<>();
        long[] range = new long[2];
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (cached[i] != null) {
                long[] refs = PostingsCodec.decodeFromCache(cached[i]);
                if (refs != null) {
                    k.refs = refs;
                    touched += cached[i].length;
                    continue;
                }
            }
            if (k.start < 0) {
                if (!header.postingsRange(k.name, k.value, range)) {
                    k.refs = PostingsCodec.EMPTY;
                    continue;
                }
                k.start = range[0];
                k.end = range[1];
            }
            missing.add(k);
        }
        limits.reserveBytes(touched, "postings");
        block.metrics.postingsTouchedBytes.increment(touched);
        if (missing.isEmpty()) {
            return;
        }
        missing.sort((a, b) -> Long.compare(a.start, b.start));
        List<GapPartitioner.Part> parts = block.partitioner.partition(missing.size(), new GapPartitioner.Ranges() {
            @Override
            public long start(int i) {
                return missing.get(i).start;
            }

            @Override
            public long end(int i) {
                return missing.get(i).end;
            }
        });
        long size = 0;
        for (GapPartitioner.Part p : parts) {
            size += p.length();
        }
        limits.reserveBytes(size, "postings");
        block.metrics.postingsFetchedBytes.increment(size);
        List<Runnable> tasks = new ArrayList<>(parts.size());
        for (GapPartitioner.Part p : parts) {
            tasks.add(() -> {
                byte[] buf = block.readIndex(p.start(), p.length());
                for (int i = p.from(); i < p.to(); i++) {
                    Key k = missing.get(i);
                    k.refs = PostingsCodec.decodeIndexList(buf, (int) (k.start - p.start()), p.start(), indexFile);
                    block.indexCache.storePostings(block.id, new IndexCache.PostingsKey(k.name, k.value),
                            PostingsCodec.encodeForCache(k.refs));
                }
            });
        }
        block.runAll(tasks);
    }

    // ---- series ----

    /**
     * Reads the series entries (bodies without length and checksum) of {@code refs[from..to)}
     * into {@code out[0..to-from)}: index cache first, then merged range reads sized by the
     * block's estimated maximum series size, refetching a series that turns out longer.
     */
    void loadSeries(long[] refs, int from, int to, byte[][] out) {
        int n = to - from;
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = refs[from + i] * SERIES_ALIGN;
        }
        byte[][] cached = block.indexCache.fetchSeries(block.id, offsets, 0, n);
        long touched = 0;
        int[] missing = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (cached[i] != null) {
                out[i] = cached[i];
                touched += cached[i].length;
            } else {
                missing[m++] = i;
            }
        }
        limits.reserveBytes(touched, "series");
        block.metrics.seriesTouchedBytes.increment(touched);
        if (m == 0) {
            return;
        }
        final int missingCount = m;
        final long maxSize = block.maxSeriesSize;
        List<GapPartitioner.Part> parts = block.partitioner.partition(missingCount, new GapPartitioner.Ranges() {
            @Override
            public long start(int i) {
                return offsets[missing[i]];
            }

            @Override
            public long end(int i) {
                return offsets[missing[i]] + maxSize;
            }
        });
        long size = 0;
        for (GapPartitioner.Part p : parts) {
            size += p.length();
        }
        limits.reserveBytes(size, "series");
        block.metrics.seriesFetchedBytes.increment(size);
        List<Runnable> tasks = new ArrayList<>(parts.size());
        for (GapPartitioner.Part p : parts) {
            tasks.add(() -> {
                byte[] buf = block.readIndex(p.start(), p.length());
                int count = p.to() - p.from();
                long[] offs = new long[count];
                byte[][] bodies = new byte[count][];
                for (int i = p.from(); i < p.to(); i++) {
                    int idx = missing[i];
                    long off = offsets[idx];
                    byte[] body = seriesBody(buf, (int) (off - p.start()), off);
                    out[idx] = body;
                    offs[i - p.from()] = off;
                    bodies[i - p.from()] = body;
                }
                block.indexCache.storeSeries(block.id, offs, bodies, count);
            });
        }
        block.runAll(tasks);
    }

    /** The series entry at {@code at} of {@code buf} (file offset {@code off}), refetched when cut short. */
    private byte[] seriesBody(byte[] buf, int at, long off) {
        ByteBuffer b = ByteBuffer.wrap(buf);
        Decbuf d = new Decbuf(b, off - at, indexFile);
        int len;
        int headLen;
        boolean complete;
        if (at >= buf.length) {
            complete = false;
            len = 0;
            headLen = 0;
        } else {
            d.position(at);
            try {
                len = d.uvarintInt();
                headLen = d.position() - at;
                complete = at + headLen + (long) len + 4 <= buf.length;
            } catch (ThanosException e) {
                // The length itself was cut off.
                len = 0;
                headLen = 0;
                complete = false;
            }
        }
        if (!complete) {
            block.metrics.seriesRefetches.increment();
            long want = headLen > 0 ? headLen + (long) len + 4 : Math.max(64, block.maxSeriesSize);
            byte[] again = block.readIndex(off, want);
            if (headLen == 0) {
                Decbuf h = new Decbuf(ByteBuffer.wrap(again), off, indexFile);
                len = h.uvarintInt();
                headLen = h.position();
                if (headLen + (long) len + 4 > again.length) {
                    again = block.readIndex(off, headLen + (long) len + 4);
                }
            }
            if (headLen + (long) len + 4 > again.length) {
                throw ThanosException.corrupted("read " + indexFile + ": series of " + len + " bytes at offset " + off
                        + " runs past the end of the index");
            }
            buf = again;
            b = ByteBuffer.wrap(buf);
            at = 0;
        }
        int bodyAt = at + headLen;
        if (b.getInt(bodyAt + len) != Decbuf.crc32c(b, bodyAt, bodyAt + len)) {
            throw ThanosException.corrupted("read " + indexFile + ": series checksum mismatch at offset " + off);
        }
        return Arrays.copyOfRange(buf, bodyAt, bodyAt + len);
    }

    /**
     * Decodes a series body: labels into {@code lb} (reset first) and the chunks overlapping
     * {@code [mint, maxt]} into {@code chks} (cleared first). Returns whether any chunk overlaps;
     * with {@code labelsOnly} chunk metas are not collected.
     */
    boolean decodeSeries(byte[] body, long ref, LabelsBuilder lb, ChunkMetas chks, long mint, long maxt, boolean labelsOnly) {
        Decbuf d = new Decbuf(ByteBuffer.wrap(body), ref * SERIES_ALIGN, indexFile);
        lb.reset();
        chks.clear();
        int nl = d.uvarintInt();
        for (int i = 0; i < nl; i++) {
            String name = header.lookupSymbol(d.uvarint32());
            String value = header.lookupSymbol(d.uvarint32());
            lb.add(name, value);
        }
        int nc = d.uvarintInt();
        if (nc == 0) {
            return false;
        }
        long cmint = d.varint64();
        long cmaxt = cmint + d.uvarint64();
        long cref = d.uvarint64();
        boolean any = false;
        for (int i = 0; i < nc; i++) {
            if (i > 0) {
                cmint = cmaxt + d.uvarint64();
                cmaxt = cmint + d.uvarint64();
                cref += d.varint64();
            }
            if (cmint > maxt) {
                break;
            }
            if (cmaxt >= mint) {
                any = true;
                if (labelsOnly) {
                    return true;
                }
                chks.add(cref, cmint, cmaxt);
            }
        }
        return any;
    }
}
