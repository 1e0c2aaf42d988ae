package io.thanosj.tsdb.index;

import java.util.Arrays;

/** String to symbol number, open addressing over parallel arrays (no boxing). */
final class SymbolMap {
    private final String[] keys;
    private final int[] vals;
    private final int mask;

    SymbolMap(String[] sortedSymbols) {
        int cap = Integer.highestOneBit(Math.max(4, sortedSymbols.length * 2 - 1)) << 1;
        keys = new String[cap];
        vals = new int[cap];
        mask = cap - 1;
        for (int i = 0; i < sortedSymbols.length; i++) {
            String s = sortedSymbols[i];
            int h = mix(s.hashCode()) & mask;
            while (keys[h] != null) {
                h = (h + 1) & mask;
            }
            keys[h] = s;
            vals[h] = i;
        }
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The symbol's number, or -1. */
    int get(String s) {
        int h = mix(s.hashCode()) & mask;
        String k;
        while ((k = keys[h]) != null) {
            if (k.equals(s)) {
                return vals[h];
            }
            h = (h + 1) & mask;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "SymbolMap" + Arrays.toString(keys);
    }
}
