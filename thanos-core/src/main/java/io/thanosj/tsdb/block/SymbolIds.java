package io.thanosj.tsdb.block;

import io.thanosj.model.Utf8Order;
import java.util.Arrays;

/**
 * Numbers strings in the order they are first seen (open addressing over parallel arrays, no
 * boxing), so a block writer can spill label sets as small integers and renumber them once the
 * sorted symbol table is known.
 */
final class SymbolIds {
    private String[] keys = new String[1024];
    private int[] vals = new int[1024];
    private String[] byId = new String[512];
    private int size;

    int size() {
        return size;
    }

    /** The string's number, assigning the next one when it is new. */
    int id(String s) {
        int mask = keys.length - 1;
        int h = mix(s.hashCode()) & mask;
        String k;
        while ((k = keys[h]) != null) {
            if (k.equals(s)) {
                return vals[h];
            }
            h = (h + 1) & mask;
        }
        if (size == byId.length) {
            byId = Arrays.copyOf(byId, size * 2);
        }
        byId[size] = s;
        keys[h] = s;
        vals[h] = size;
        if (++size * 2 > keys.length) {
            grow();
        }
        return size - 1;
    }

    private void grow() {
        String[] ok = keys;
        int[] ov = vals;
        keys = new String[ok.length * 2];
        vals = new int[ok.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != null) {
                int h = mix(ok[i].hashCode()) & mask;
                while (keys[h] != null) {
                    h = (h + 1) & mask;
                }
                keys[h] = ok[i];
                vals[h] = ov[i];
            }
        }
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /**
     * The strings sorted in Go's (UTF-8 byte) order, with each number's position in that order
     * stored in {@code rank}. The table is unusable afterwards; its memory is released.
     */
    String[] sorted(int[] rank) {
        String[] out = Arrays.copyOf(byId, size);
        Arrays.sort(out, Utf8Order::compare);
        for (int r = 0; r < out.length; r++) {
            rank[id(out[r])] = r;
        }
        keys = null;
        vals = null;
        byId = null;
        return out;
    }
}
