package io.thanosj.store.bucket;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A Prometheus relabel config (a YAML list of rules), applied here to a block's external labels
 * by Thanos's {@code --selector.relabel-config} so that store gateways can shard blocks between
 * them. Semantics follow Prometheus's {@code model/relabel}: regexes are fully anchored RE2,
 * replacements expand {@code $1}, {@code ${1}}, {@code $name} like Go's {@code Regexp.Expand},
 * and {@code hashmod} takes the last 8 bytes of the MD5 of the joined source values.
 */
public final class RelabelConfig {
    private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static final Set<String> ACTIONS = Set.of("replace", "keep", "drop", "hashmod", "labelmap", "labeldrop",
            "labelkeep", "lowercase", "uppercase", "keepequal", "dropequal");
    private static final String DEFAULT_REGEX = "(.*)";

    record Rule(List<String> sourceLabels, String separator, String targetLabel, String regexText, Pattern regex,
                long modulus, String replacement, String action) {}

    private final List<Rule> rules;

    private RelabelConfig(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** No rules: every label set is kept unchanged. */
    public static final RelabelConfig EMPTY = new RelabelConfig(List.of());

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Parses the YAML list; {@code what} names the flag or file in errors. */
    public static RelabelConfig parse(String what, String yaml) {
        Object root;
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(opts)).load(yaml == null ? "" : yaml);
        } catch (YAMLException e) {
            throw ThanosException.badData("parse " + what + ": malformed yaml: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            return EMPTY;
        }
        if (!(root instanceof List<?> list)) {
            throw ThanosException.badData("parse " + what + ": expected a list of relabel rules");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw ThanosException.badData("parse " + what + ": rule " + (i + 1) + " is not a mapping");
            }
            rules.add(rule(what + " rule " + (i + 1), m));
        }
        return new RelabelConfig(rules);
    }

    private static Rule rule(String where, Map<?, ?> m) {
        for (Object k : m.keySet()) {
            if (!Set.of("source_labels", "separator", "target_label", "regex", "modulus", "replacement", "action").contains(String.valueOf(k))) {
                throw ThanosException.badData("parse " + where + ": unknown field " + k);
            }
        }
        List<String> sources = new ArrayList<>();
        Object sl = m.get("source_labels");
        if (sl instanceof List<?> l) {
            for (Object o : l) {
                sources.add(String.valueOf(o));
            }
        } else if (sl != null) {
            throw ThanosException.badData("parse " + where + ": source_labels must be a list");
        }
        String separator = str(m, "separator", ";");
        String target = str(m, "target_label", "");
        String regexText = str(m, "regex", DEFAULT_REGEX);
        String replacement = str(m, "replacement", "$1");
        String action = str(m, "action", "replace").toLowerCase(Locale.ROOT);
        long modulus;
        Object mod = m.get("modulus");
        if (mod == null) {
            modulus = 0;
        } else if (mod instanceof Integer || mod instanceof Long) {
            modulus = ((Number) mod).longValue();
        } else {
            throw ThanosException.badData("parse " + where + ": modulus must be an integer, got " + mod);
        }
        if (!ACTIONS.contains(action)) {
            throw ThanosException.badData("parse " + where + ": unknown relabel action \"" + action + "\"");
        }
        Pattern regex;
        try {
            regex = Pattern.compile("^(?:" + regexText + ")$");
        } catch (PatternSyntaxException e) {
            throw ThanosException.badData("parse " + where + ": invalid regex \"" + regexText + "\": " + e.getDescription());
        }
        if (action.equals("hashmod") && modulus <= 0) {
            throw ThanosException.badData("parse " + where + ": relabel configuration for hashmod requires non-zero modulus");
        }
        if (Set.of("replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal").contains(action) && target.isEmpty()) {
            throw ThanosException.badData("parse " + where + ": relabel configuration for " + action + " action requires 'target_label' value");
        }
        if (action.equals("replace") && !target.contains("$") && !LABEL_NAME.matches(target)) {
            throw ThanosException.badData("parse " + where + ": \"" + target + "\" is invalid 'target_label' for replace action");
        }
        if (Set.of("hashmod", "lowercase", "uppercase", "keepequal", "dropequal").contains(action) && !LABEL_NAME.matches(target)) {
            throw ThanosException.badData("parse " + where + ": \"" + target + "\" is invalid 'target_label' for " + action + " action");
        }
        if ((action.equals("labeldrop") || action.equals("labelkeep"))
                && (!sources.isEmpty() || !target.isEmpty() || modulus != 0 || !separator.equals(";") || !replacement.equals("$1"))) {
            throw ThanosException.badData("parse " + where + ": " + action + " action requires only 'regex', and no other fields");
        }
        return new Rule(sources, separator, target, regexText, regex, modulus, replacement, action);
    }

    private static String str(Map<?, ?> m, String key, String def) {
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Map || v instanceof List) {
            throw ThanosException.badData("parse relabel rule: " + key + " must be a string");
        }
        return String.valueOf(v);
    }

    /** The relabelled set, or null when a rule dropped it. */
    public Labels process(Labels in) {
        LabelsBuilder lb = new LabelsBuilder(in);
        for (Rule r : rules) {
            if (!apply(r, lb)) {
                return null;
            }
        }
        return lb.build();
    }

    private static boolean apply(Rule r, LabelsBuilder lb) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < r.sourceLabels.size(); i++) {
            if (i > 0) {
                joined.append(r.separator);
            }
            joined.append(lb.get(r.sourceLabels.get(i)));
        }
        String val = joined.toString();
        switch (r.action) {
            case "drop" -> {
                return !r.regex.matches(val);
            }
            case "keep" -> {
                return r.regex.matches(val);
            }
            case "dropequal" -> {
                return !lb.get(r.targetLabel).equals(val);
            }
            case "keepequal" -> {
                return lb.get(r.targetLabel).equals(val);
            }
            case "replace" -> {
                com.google.re2j.Matcher m = r.regex.matcher(val);
                if (!m.matches()) {
                    return true;
                }
                String target = expand(r.targetLabel, m);
                if (!LABEL_NAME.matches(target)) {
                    return true;
                }
                String res = expand(r.replacement, m);
                if (res.isEmpty()) {
                    lb.delete(target);
                } else {
                    lb.set(target, res);
                }
            }
            case "lowercase" -> lb.set(r.targetLabel, val.toLowerCase(Locale.ROOT));
            case "uppercase" -> lb.set(r.targetLabel, val.toUpperCase(Locale.ROOT));
            case "hashmod" -> lb.set(r.targetLabel, Long.toUnsignedString(Long.remainderUnsigned(md5Tail(val), r.modulus)));
            case "labelmap" -> {
                Labels cur = lb.build();
                for (int i = 0; i < cur.size(); i++) {
                    com.google.re2j.Matcher m = r.regex.matcher(cur.name(i));
                    if (m.matches()) {
                        lb.set(expand(r.replacement, m), cur.value(i));
                    }
                }
            }
            case "labeldrop", "labelkeep" -> {
                Labels cur = lb.build();
                boolean drop = r.action.equals("labeldrop");
                for (int i = 0; i < cur.size(); i++) {
                    if (r.regex.matches(cur.name(i)) == drop) {
                        lb.delete(cur.name(i));
                    }
                }
            }
            default -> throw new IllegalStateException("unknown action " + r.action);
        }
        return true;
    }

    /** The last 8 bytes of the MD5 digest, big-endian, as Prometheus's hashmod. */
    static long md5Tail(String s) {
        try {
            byte[] h = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 8; i < 16; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's {@code Regexp.Expand}: {@code $$}, {@code $n}, {@code ${n}}, {@code $name}, {@code ${name}}. */
    static String expand(String template, com.google.re2j.Matcher m) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= n) {
                sb.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    sb.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                    j++;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                sb.append(c);
                i++;
                continue;
            }
            sb.append(group(m, name));
            i = end;
        }
        return sb.toString();
    }

    private static String group(com.google.re2j.Matcher m, String name) {
        String g = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int idx = Integer.parseInt(name);
                if (idx <= m.groupCount()) {
                    g = m.group(idx);
                }
            } catch (NumberFormatException e) {
                g = null;
            }
        } else {
            try {
                g = m.group(name);
            } catch (IllegalArgumentException e) {
                g = null;
            }
        }
        return g == null ? "" : g;
    }
}
