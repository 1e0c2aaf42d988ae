package io.thanosj.model;

/**
 * Compares strings in UTF-8 byte order, the order Go (and so Prometheus's index) sorts strings in.
 * Java's {@code compareTo} orders UTF-16 code units, which differs only when a surrogate pair meets
 * a character in U+E000..U+FFFF.
 */
public final class Utf8Order {
    private Utf8Order() {}

    public static int compare(String a, String b) {
        if (a == b) {
            return 0; // interned label strings: the common case when label sets share labels
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                return fixup(x) - fixup(y);
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF so that code-unit order equals code-point order. */
    private static int fixup(char c) {
        if (c >= 0xD800) {
            return c >= 0xE000 ? c - 0x800 : c + 0x2000;
        }
        return c;
    }

    /** Index of the last of the first {@code n} strings of {@code sorted} (in this order) that is {@code <= key}, or -1. */
    public static int lastAtMost(String[] sorted, int n, String key) {
        int lo = 0;
        int hi = n - 1;
        int ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(sorted[mid], key) <= 0) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }
}
