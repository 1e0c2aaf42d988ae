package io.thanosj.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a lexed string token (quotes included) into its value, with Go's escapes: the C escapes,
 * backslash, the escaped quote of the string's own kind, three-digit octal and two-digit hex (raw
 * bytes), and 4- and 8-digit Unicode escapes. Backtick strings are taken verbatim.
 */
final class Unquote {
    private Unquote() {}

    /** The string's value; throws {@link IllegalArgumentException} with Go's "invalid syntax" on bad input. */
    static String unquote(String s) {
        if (s.length() < 2) {
            throw new IllegalArgumentException("invalid syntax");
        }
        char q = s.charAt(0);
        if (q != s.charAt(s.length() - 1) || (q != '"' && q != '\'' && q != '`')) {
            throw new IllegalArgumentException("invalid syntax");
        }
        String body = s.substring(1, s.length() - 1);
        if (q == '`') {
            if (body.indexOf('`') >= 0) {
                throw new IllegalArgumentException("invalid syntax");
            }
            return body;
        }
        if (body.indexOf('\\') < 0 && body.indexOf(q) < 0 && body.indexOf('\n') < 0) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == q || c == '\n') {
                throw new IllegalArgumentException("invalid syntax");
            }
            if (c != '\\') {
                int cp = body.codePointAt(i);
                i += Character.charCount(cp);
                writeUtf8(out, cp);
                continue;
            }
            if (i + 1 >= body.length()) {
                throw new IllegalArgumentException("invalid syntax");
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(0x07);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0b);
                case '\\' -> out.write('\\');
                case '\'', '"' -> {
                    if (e != q) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    out.write(e);
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int v = readDigits(body, i - 1, 3, 8);
                    if (v > 255) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    i += 2;
                    out.write(v);
                }
                case 'x' -> {
                    out.write(readDigits(body, i, 2, 16));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    int v = readDigits(body, i, n, 16);
                    if (v > Character.MAX_CODE_POINT || v < 0 || (v >= 0xD800 && v < 0xE000)) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    i += n;
                    writeUtf8(out, v);
                }
                default -> throw new IllegalArgumentException("invalid syntax");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int readDigits(String s, int from, int n, int base) {
        if (from + n > s.length()) {
            throw new IllegalArgumentException("invalid syntax");
        }
        long v = 0;
        for (int k = 0; k < n; k++) {
            int d = Character.digit(s.charAt(from + k), base);
            if (d < 0) {
                throw new IllegalArgumentException("invalid syntax");
            }
            v = v * base + d;
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }
}
