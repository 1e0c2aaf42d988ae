package io.thanosj.promql.parser;

import io.thanosj.model.GoFloatFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Number and string conversions that behave like Go's {@code strconv} and {@code fmt}, because
 * PromQL's observable behaviour follows them: which number literals parse, how a {@code le} label is
 * read, how {@code count_values} renders a value, how the printer quotes a string.
 */
public final class GoStrconv {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern HEX_FLOAT =
            Pattern.compile("[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");

    private GoStrconv() {}

    /**
     * Go's {@code strconv.ParseFloat(s, 64)}: decimal and hexadecimal (with {@code p} exponent)
     * floats, {@code inf}/{@code infinity} with optional sign and {@code nan}, case-insensitively.
     *
     * @throws NumberFormatException with Go's message, "strconv.ParseFloat: parsing ...: invalid syntax"
     *     or "...: value out of range"
     */
    public static double parseFloat(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                break;
        }
        double v;
        if (DECIMAL.matcher(s).matches()) {
            v = Double.parseDouble(s);
        } else if (HEX_FLOAT.matcher(s).matches()) {
            v = Double.parseDouble(s);
        } else {
            throw new NumberFormatException("strconv.ParseFloat: parsing " + quote(s) + ": invalid syntax");
        }
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("strconv.ParseFloat: parsing " + quote(s) + ": value out of range");
        }
        return v;
    }

    /**
     * PromQL's number literal: Go's {@code strconv.ParseInt(s, 0, 64)} (so {@code 0x1f} is hex and
     * {@code 0755} octal), falling back to {@code ParseFloat}.
     */
    public static double parseNumberLiteral(String s) {
        String body = s;
        boolean neg = false;
        if (body.startsWith("+") || body.startsWith("-")) {
            neg = body.charAt(0) == '-';
            body = body.substring(1);
        }
        int radix = 10;
        String digits = body;
        if (body.length() > 2 && (body.startsWith("0x") || body.startsWith("0X"))) {
            radix = 16;
            digits = body.substring(2);
        } else if (body.length() > 1 && body.charAt(0) == '0') {
            radix = 8;
            digits = body.substring(1);
        }
        if (!digits.isEmpty() && allDigits(digits, radix)) {
            try {
                long n = Long.parseLong(digits, radix);
                return neg ? -(double) n : (double) n;
            } catch (NumberFormatException overflow) {
                // Out of int64 range: Go falls back to ParseFloat too.
            }
        }
        return parseFloat(s);
    }

    private static boolean allDigits(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, which is also what {@code fmt.Sprint} prints. */
    public static String formatFloat(double v) {
        return GoFloatFormat.formatG(v);
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
    public static String formatFloatPlain(double v) {
        return GoFloatFormat.formatF(v);
    }

    /** Go's {@code strconv.Quote} ({@code %q}): double quotes, Go escapes, printable runes kept. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            appendQuotedRune(sb, cp, '"');
        }
        return sb.append('"').toString();
    }

    /** Go's {@code strconv.QuoteRune}: {@code 'x'}. */
    public static String quoteRune(int cp) {
        StringBuilder sb = new StringBuilder(8).append('\'');
        appendQuotedRune(sb, cp, '\'');
        return sb.append('\'').toString();
    }

    /** Go's {@code %#U}: {@code U+0071 'q'}. */
    public static String formatRuneU(int cp) {
        String hex = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder("U+");
        for (int i = hex.length(); i < 4; i++) {
            sb.append('0');
        }
        sb.append(hex);
        if (isPrint(cp)) {
            sb.append(" '").appendCodePoint(cp).append('\'');
        }
        return sb.toString();
    }

    private static void appendQuotedRune(StringBuilder sb, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            sb.append('\\').appendCodePoint(cp);
            return;
        }
        if (isPrint(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0b -> sb.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7f) {
                    sb.append("\\x").append(hex(cp, 2));
                } else if (cp < 0x10000) {
                    sb.append("\\u").append(hex(cp, 4));
                } else {
                    sb.append("\\U").append(hex(cp, 8));
                }
            }
        }
    }

    private static String hex(int v, int width) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, width - h.length())) + h;
    }

    /** Approximates Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /** Go's {@code %f} for the few places Prometheus formats with it (6 decimals, Go's Inf/NaN names). */
    public static String formatFixed6(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return new BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Go's {@code %.3f}, used by the printer for {@code @} timestamps. */
    public static String formatFixed3(double v) {
        return new BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** UTF-8 byte length of {@code s[0:charIndex]}: Prometheus reports positions in bytes. */
    static int utf8Offset(String s, int charIndex) {
        return s.substring(0, Math.min(charIndex, s.length())).getBytes(StandardCharsets.UTF_8).length;
    }
}
