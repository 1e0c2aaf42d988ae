package io.thanosj.tsdb.index;

import io.thanosj.model.Labels;
import io.thanosj.tsdb.encoding.ByteSource;
import io.thanosj.tsdb.encoding.Decbuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The symbol table of an index, read in place: the position of every symbol is kept (4 bytes each)
 * and strings are decoded on lookup. The section's CRC32C is verified when opened.
 *
 * <p>Decoded strings are kept, interned ({@link Labels#intern}), in an array by symbol number, so
 * each symbol is decoded once per reader and series of one block share their label strings: a
 * series lookup then allocates nothing for its labels. Tables of more than {@link #CACHED} symbols
 * keep a direct-mapped cache of that many instead of one slot per symbol. Slots are written racily:
 * a slot holds null or an immutable string (or entry), so readers see one or the other, never a
 * torn value.
 */
final class Symbols {
    static final int CACHED = 1 << 20;

    private final ByteBuffer buf;
    private final long fileOffset;
    private final String name;
    private final int[] offs;
    private final String[] byId;     // one slot per symbol, or null
    private final Cached[] mapped;   // direct-mapped by symbol number when byId is null

    private record Cached(int id, String s) {}

    Symbols(ByteSource src, long off) {
        this.name = src.name();
        ByteBuffer section = Sections.read(src, off, "symbol table");
        this.buf = section;
        this.fileOffset = off + 4;
        Decbuf d = new Decbuf(section, fileOffset, name);
        int count = d.be32Int();
        if (count > section.limit() - 4) {
            throw d.corrupt("symbol count " + count + " exceeds the section size");
        }
        offs = new int[count];
        for (int i = 0; i < count; i++) {
            offs[i] = d.position();
            d.skipUvarintBytes();
        }
        if (d.remaining() != 0) {
            throw d.corrupt(d.remaining() + " unexpected bytes after " + count + " symbols");
        }
        byId = count <= CACHED ? new String[count] : null;
        mapped = count <= CACHED ? null : new Cached[CACHED];
    }

    int count() {
        return offs.length;
    }

    /** The symbol, interned. */
    String lookup(long id) {
        if (id < 0 || id >= offs.length) {
            throw io.thanosj.model.ThanosException.corrupted("read " + name + ": unknown symbol reference " + id
                    + ", the symbol table has " + offs.length);
        }
        int i = (int) id;
        String[] a = byId;
        if (a != null) {
            String s = a[i];
            if (s == null) {
                s = decode(i);
                a[i] = s;
            }
            return s;
        }
        int slot = i & (CACHED - 1);
        Cached c = mapped[slot];
        if (c != null && c.id == i) {
            return c.s;
        }
        String s = decode(i);
        mapped[slot] = new Cached(i, s);
        return s;
    }

    private String decode(int id) {
        Decbuf d = new Decbuf(buf, fileOffset, name);
        d.position(offs[id]);
        return Labels.intern(d.uvarintStr());
    }

    /** The symbol's number, or -1 when absent; binary search over the sorted table. */
    int reverseLookup(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        Decbuf d = new Decbuf(buf, fileOffset, name);
        int lo = 0;
        int hi = offs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            d.position(offs[mid]);
            int n = d.uvarintInt();
            int c = d.compareBytes(d.position(), n, u);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
