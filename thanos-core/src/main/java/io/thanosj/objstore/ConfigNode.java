package io.thanosj.objstore;

import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Typed, strict access to one YAML mapping of a provider config, reading SnakeYAML's node tree so
 * that every error can name the field and its line and column. Strict like Thanos's
 * {@code yaml.UnmarshalStrict}: {@link #allowOnly} rejects unknown fields.
 */
final class ConfigNode {
    private final String provider;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> fields;

    private ConfigNode(String provider, String path, Node node, Map<String, NodeTuple> fields) {
        this.provider = provider;
        this.path = path;
        this.node = node;
        this.fields = fields;
    }

    /** A node for {@code provider} ("s3", "gcs", ...); {@code node} null means an empty config. */
    static ConfigNode of(String provider, Node node) {
        return of(provider, "", node);
    }

    private static ConfigNode of(String provider, String path, Node node) {
        if (node == null || isNull(node)) {
            return new ConfigNode(provider, path, null, Collections.emptyMap());
        }
        if (!(node instanceof MappingNode mapping)) {
            throw bad(provider, (path.isEmpty() ? "config" : "field " + path) + ": expected a mapping", node);
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw bad(provider, "expected a field name", t.getKeyNode());
            }
            if (fields.put(key.getValue(), t) != null) {
                throw bad(provider, "duplicate field " + qualified(path, key.getValue()), key);
            }
        }
        return new ConfigNode(provider, path, node, fields);
    }

    String provider() {
        return provider;
    }

    /** Rejects any field not in {@code allowed}. */
    ConfigNode allowOnly(String... allowed) {
        Set<String> ok = new TreeSet<>(Arrays.asList(allowed));
        for (Map.Entry<String, NodeTuple> e : fields.entrySet()) {
            if (!ok.contains(e.getKey())) {
                throw bad(provider, "unknown field " + qualified(path, e.getKey()) + " (known: "
                        + String.join(", ", ok) + ")", e.getValue().getKeyNode());
            }
        }
        return this;
    }

    boolean has(String key) {
        NodeTuple t = fields.get(key);
        return t != null && !isNull(t.getValueNode());
    }

    String string(String key, String def) {
        ScalarNode s = scalar(key);
        return s == null ? def : s.getValue();
    }

    String requiredString(String key) {
        String v = string(key, "");
        if (v.isEmpty()) {
            throw missing(key);
        }
        return v;
    }

    boolean bool(String key, boolean def) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return def;
        }
        // YAML 1.1 booleans, as Go's yaml.v2 accepts them.
        switch (s.getValue().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "y":
                return true;
            case "false": case "no": case "off": case "n":
                return false;
            default:
                throw invalid(key, "expected true or false", s);
        }
    }

    long longValue(String key, long def) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return def;
        }
        try {
            return Long.parseLong(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, "expected an integer", s);
        }
    }

    int intValue(String key, int def) {
        long v = longValue(key, def);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw invalid(key, "integer out of range", scalar(key));
        }
        return (int) v;
    }

    /** A Go/Prometheus duration such as {@code 1m30s}, {@code 2m}, {@code 500ms} or {@code 0}. */
    Duration duration(String key, Duration def) {
        ScalarNode s = scalar(key);
        if (s == null) {
            return def;
        }
        Duration d = parseDuration(s.getValue());
        if (d == null) {
            throw invalid(key, "expected a duration like 1m30s", s);
        }
        return d;
    }

    /** A nested mapping; absent gives an empty node. */
    ConfigNode child(String key) {
        NodeTuple t = fields.get(key);
        return of(provider, qualified(path, key), t == null ? null : t.getValueNode());
    }

    /** A mapping of strings to strings, e.g. {@code put_user_metadata}. */
    Map<String, String> stringMap(String key) {
        ConfigNode c = child(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : c.fields.entrySet()) {
            Node v = e.getValue().getValueNode();
            if (!(v instanceof ScalarNode sv)) {
                throw bad(provider, "field " + qualified(c.path, e.getKey()) + ": expected a string", v);
            }
            out.put(e.getKey(), isNull(v) ? "" : sv.getValue());
        }
        return out;
    }

    ThanosException missing(String key) {
        return ThanosException.badData("objstore config: " + provider + ": missing field " + qualified(path, key));
    }

    ThanosException invalid(String key, String detail) {
        NodeTuple t = fields.get(key);
        return bad(provider, "field " + qualified(path, key) + ": " + detail,
                t == null ? node : t.getValueNode());
    }

    private ThanosException invalid(String key, String detail, ScalarNode s) {
        return bad(provider, "field " + qualified(path, key) + ": " + detail + ", got \"" + s.getValue() + "\"", s);
    }

    private ScalarNode scalar(String key) {
        NodeTuple t = fields.get(key);
        if (t == null || isNull(t.getValueNode())) {
            return null;
        }
        if (!(t.getValueNode() instanceof ScalarNode s)) {
            throw bad(provider, "field " + qualified(path, key) + ": expected a single value", t.getValueNode());
        }
        return s;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
    }

    private static String qualified(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static ThanosException bad(String provider, String detail, Node at) {
        return ThanosException.badData("objstore config: " + provider + ": " + oneLine(detail) + position(at));
    }

    /** Library messages may span lines; the CLI prints errors as one line. */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static String position(Node at) {
        if (at == null || at.getStartMark() == null) {
            return "";
        }
        Mark m = at.getStartMark();
        return " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")";
    }

    private static final List<String> UNITS = List.of("ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "y");
    private static final long[] UNIT_NANOS = {
        1L, 1_000L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L,
        86_400_000_000_000L, 7 * 86_400_000_000_000L, 365 * 86_400_000_000_000L,
    };

    /** Go's {@code time.ParseDuration} plus Prometheus's d, w, y units; null if malformed. */
    static Duration parseDuration(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            return null;
        }
        double totalNanos = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                return null;
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return null;
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            int unit = UNITS.indexOf(s.substring(unitStart, i));
            if (unit < 0) {
                return null;
            }
            totalNanos += number * UNIT_NANOS[unit];
        }
        if (totalNanos > Long.MAX_VALUE) {
            return null;
        }
        return Duration.ofNanos((long) totalNanos);
    }
}
