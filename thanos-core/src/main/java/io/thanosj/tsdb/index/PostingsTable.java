package io.thanosj.tsdb.index;

import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.encoding.ByteSource;
import io.thanosj.tsdb.encoding.Decbuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The postings offset table, read in place: every label name, and every 32nd value of each name
 * with its entry position, are held in memory (as Prometheus's reader does); other values are found
 * by scanning at most 32 entries from the nearest sample, comparing raw bytes.
 */
final class PostingsTable {
    /** Receives label values in order; returns false to stop. */
    interface ValueVisitor {
        boolean visit(String value, long postingsOffset);
    }

    static final class NameValues {
        final String name;
        int count;
        String[] sampled = new String[4];
        int[] sampledPos = new int[4];
        int samples;

        NameValues(String name) {
            this.name = name;
        }
    }

    private final ByteBuffer buf;
    private final long fileOffset;
    private final String file;
    private final Map<String, NameValues> byName = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    PostingsTable(ByteSource src, long off) {
        this.file = src.name();
        this.buf = Sections.read(src, off, "postings offset table");
        this.fileOffset = off + 4;
        Decbuf d = decbuf();
        long count = d.be32() & 0xffffffffL;
        NameValues cur = null;
        int curNameAt = -1;
        int curNameLen = 0;
        for (long i = 0; i < count; i++) {
            int entry = d.position();
            int keys = d.uvarintInt();
            if (keys != 2) {
                throw d.corrupt("postings offset table entry has " + keys + " keys, expected 2");
            }
            int nlen = d.uvarintInt();
            int nat = d.position();
            d.skip(nlen);
            if (cur == null || !sameBytes(nat, nlen, curNameAt, curNameLen)) {
                if (cur != null && compare(nat, nlen, curNameAt, curNameLen) < 0) {
                    throw d.corrupt("postings offset table is not sorted by label name");
                }
                cur = new NameValues(d.string(nat, nlen));
                curNameAt = nat;
                curNameLen = nlen;
                if (byName.put(cur.name, cur) != null) {
                    throw d.corrupt("label name \"" + cur.name + "\" appears twice in the postings offset table");
                }
                if (!cur.name.isEmpty()) {
                    names.add(cur.name);
                }
            }
            int vlen = d.uvarintInt();
            int vat = d.position();
            d.skip(vlen);
            d.uvarint64();
            if (cur.count % IndexFormat.SAMPLE == 0) {
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
    }

    private Decbuf decbuf() {
        return new Decbuf(buf, fileOffset, file);
    }

    private boolean sameBytes(int a, int alen, int b, int blen) {
        return alen == blen && compare(a, alen, b, blen) == 0;
    }

    private int compare(int a, int alen, int b, int blen) {
        int n = Math.min(alen, blen);
        for (int i = 0; i < n; i++) {
            int c = (buf.get(a + i) & 0xff) - (buf.get(b + i) & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return alen - blen;
    }

    /** Label names in order, without the all-postings key. */
    List<String> names() {
        return names;
    }

    NameValues get(String name) {
        return byName.get(name);
    }

    /** The postings offset of {@code name=value}, or -1. */
    long find(String name, String value) {
        NameValues nv = byName.get(name);
        if (nv == null) {
            return -1;
        }
        int s = lastSampleAtMost(nv, value);
        if (s < 0) {
            return -1;
        }
        byte[] target = value.getBytes(StandardCharsets.UTF_8);
        Decbuf d = decbuf();
        d.position(nv.sampledPos[s]);
        int left = Math.min(IndexFormat.SAMPLE, nv.count - s * IndexFormat.SAMPLE);
        for (int i = 0; i < left; i++) {
            d.uvarintInt();
            d.skipUvarintBytes();
            int vlen = d.uvarintInt();
            int c = d.compareBytes(d.position(), vlen, target);
            d.skip(vlen);
            long off = d.uvarint64();
            if (c == 0) {
                return off;
            }
            if (c > 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Index of the last sampled value {@code <= value}, or -1. */
    private static int lastSampleAtMost(NameValues nv, String value) {
        return Utf8Order.lastAtMost(nv.sampled, nv.samples, value);
    }

    /** Visits the values of {@code nv} in order, starting at the first value {@code >= from} (all when null). */
    void scan(NameValues nv, String from, ValueVisitor v) {
        int s = from == null ? 0 : Math.max(0, lastSampleAtMost(nv, from));
        Decbuf d = decbuf();
        d.position(nv.sampledPos[s]);
        int left = nv.count - s * IndexFormat.SAMPLE;
        for (int i = 0; i < left; i++) {
            d.uvarintInt();
            d.skipUvarintBytes();
            String value = d.uvarintStr();
            long off = d.uvarint64();
            if (from != null && Utf8Order.compare(value, from) < 0) {
                continue;
            }
            if (!v.visit(value, off)) {
                return;
            }
        }
    }

    ThanosException corrupt(String detail) {
        return ThanosException.corrupted("read " + file + ": " + detail);
    }
}
