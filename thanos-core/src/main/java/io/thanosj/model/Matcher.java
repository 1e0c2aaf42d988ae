package io.thanosj.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A label matcher. Regexes use Go's RE2 syntax through RE2/J and are fully anchored, as in
 * Prometheus. Common regex shapes are answered without running the regex: a literal alternation
 * {@code a|b|c} becomes a set lookup, {@code foo.*} a prefix test, {@code .*} always true and
 * {@code .+} a non-empty test. Stores use {@link #setMatches()} and {@link #prefix()} to look
 * postings up directly instead of testing every label value.
 */
public final class Matcher {
    private final MatchType type;
    private final String name;
    private final String value;
    private final Pattern pattern;
    private final Set<String> set;      // literal alternation, or null
    private final String prefix;        // literal prefix followed by .*, or null
    private final boolean matchesAll;   // .*
    private final boolean matchesNonEmpty; // .+

    private Matcher(MatchType type, String name, String value) {
        this.type = type;
        this.name = Labels.intern(name);
        this.value = value;
        if (type.isRegex()) {
            try {
                this.pattern = Pattern.compile("^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + ": `" + value + "`", e);
            }
            this.matchesAll = value.equals(".*");
            this.matchesNonEmpty = value.equals(".+");
            this.set = literalAlternation(value);
            this.prefix = set == null ? literalPrefixAny(value) : null;
        } else {
            this.pattern = null;
            this.set = null;
            this.prefix = null;
            this.matchesAll = false;
            this.matchesNonEmpty = false;
        }
    }

    /** Creates a matcher; throws {@link IllegalArgumentException} naming the regex when it does not compile. */
    public static Matcher of(MatchType type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(MatchType.EQUAL, name, value);
    }

    public MatchType type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    public boolean matches(String v) {
        switch (type) {
            case EQUAL:
                return value.equals(v);
            case NOT_EQUAL:
                return !value.equals(v);
            case REGEX:
                return regexMatches(v);
            default:
                return !regexMatches(v);
        }
    }

    private boolean regexMatches(String v) {
        // As in Prometheus 2.42, '.' does not match a newline, so the shortcuts check for one.
        if (matchesAll) {
            return v.indexOf('\n') < 0;
        }
        if (matchesNonEmpty) {
            return !v.isEmpty() && v.indexOf('\n') < 0;
        }
        if (set != null) {
            return set.contains(v);
        }
        if (prefix != null) {
            return v.startsWith(prefix) && v.indexOf('\n', prefix.length()) < 0;
        }
        return pattern.matches(v);
    }

    /** True when the matcher matches the empty string, i.e. also series without this label. */
    public boolean matchesEmpty() {
        return matches("");
    }

    /**
     * For {@code =} and for {@code =~} over a literal alternation: the exact values it matches;
     * otherwise null.
     */
    public Set<String> setMatches() {
        if (type == MatchType.EQUAL) {
            return Collections.singleton(value);
        }
        return type == MatchType.REGEX ? set : null;
    }

    /** For {@code =~ "foo.*"}: {@code foo}; otherwise null. */
    public String prefix() {
        return type == MatchType.REGEX ? prefix : null;
    }

    /** Parses literal alternations such as {@code a|b|c}; null when any branch has a metacharacter. */
    static Set<String> literalAlternation(String re) {
        if (re.isEmpty()) {
            return Collections.singleton("");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '|') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else if (c == '\\') {
                if (i + 1 >= re.length()) {
                    return null;
                }
                char n = re.charAt(++i);
                if (Character.isLetterOrDigit(n)) {
                    return null; // \d, \w, \pL ... are classes, not literals
                }
                cur.append(n);
            } else if (".+*?()[]{}^$".indexOf(c) >= 0) {
                return null;
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return Collections.unmodifiableSet(new HashSet<>(parts));
    }

    /** For {@code literal.*} returns the literal; null otherwise. */
    static String literalPrefixAny(String re) {
        if (!re.endsWith(".*") || re.length() < 3) {
            return null;
        }
        Set<String> lit = literalAlternation(re.substring(0, re.length() - 2));
        if (lit == null || lit.size() != 1) {
            return null;
        }
        String p = lit.iterator().next();
        // A trailing backslash escape like "a\.*" would have been consumed differently; keep the regex then.
        return re.charAt(re.length() - 3) == '\\' ? null : p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + value.hashCode()) * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(type.op()).append('"');
        Labels.escape(value, sb);
        return sb.append('"').toString();
    }
}
