package io.thanosj.cache;

import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Strict, typed access to one YAML mapping of a cache config, as Go's {@code yaml.UnmarshalStrict}:
 * unknown fields and wrong types are {@code BAD_DATA} errors naming the config and the field.
 */
final class YamlMap {
    private final String what;
    private final String path;
    private final Map<String, Object> fields;

    private YamlMap(String what, String path, Map<String, Object> fields) {
        this.what = what;
        this.path = path;
        this.fields = fields;
    }

    /** Parses a document whose root is a mapping; an empty document is an empty mapping. */
    static YamlMap parse(String what, String yaml) {
        Object root;
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setAllowDuplicateKeys(false);
            opts.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(opts)).load(yaml == null ? "" : yaml);
        } catch (YAMLException e) {
            throw ThanosException.badData(what + ": malformed yaml: " + oneLine(e.getMessage()));
        }
        return of(what, "", root);
    }

    static YamlMap empty(String what) {
        return new YamlMap(what, "", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static YamlMap of(String what, String path, Object node) {
        if (node == null) {
            return new YamlMap(what, path, Map.of());
        }
        if (!(node instanceof Map<?, ?> m)) {
            throw ThanosException.badData(what + ": " + (path.isEmpty() ? "document" : "field " + path)
                    + ": expected a mapping, got " + describe(node));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return new YamlMap(what, path, out);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replaceAll(" +", " ").trim();
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "\"" + v + "\"";
    }

    private String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ThanosException bad(String key, String detail) {
        return ThanosException.badData(what + ": field " + field(key) + ": " + detail);
    }

    /** Rejects any field not listed. */
    YamlMap allowOnly(String... allowed) {
        Set<String> ok = new TreeSet<>(Arrays.asList(allowed));
        for (String k : fields.keySet()) {
            if (!ok.contains(k)) {
                throw ThanosException.badData(what + ": unknown field " + field(k) + " (known: " + String.join(", ", ok) + ")");
            }
        }
        return this;
    }

    boolean has(String key) {
        return fields.get(key) != null;
    }

    /** The raw value, for sub-configs handed to another parser; null when absent. */
    Object raw(String key) {
        return fields.get(key);
    }

    YamlMap map(String key) {
        return of(what, field(key), fields.get(key));
    }

    String string(String key, String def) {
        Object v = fields.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Map || v instanceof List) {
            throw bad(key, "expected a string, got " + describe(v));
        }
        return String.valueOf(v);
    }

    boolean bool(String key, boolean def) {
        Object v = fields.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, "expected true or false, got " + describe(v));
    }

    long integer(String key, long def) {
        Object v = fields.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw bad(key, "expected an integer, got " + describe(v));
    }

    double number(String key, double def) {
        Object v = fields.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(key, "expected a number, got " + describe(v));
    }

    /** A byte size: an integer, or a number with a base-2 unit as Thanos writes them ({@code 250MB}, {@code 1MiB}). */
    long bytes(String key, long def) {
        Object v = fields.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Integer || v instanceof Long) {
            long n = ((Number) v).longValue();
            if (n < 0) {
                throw bad(key, "must not be negative, got " + n);
            }
            return n;
        }
        if (v instanceof Map || v instanceof List) {
            throw bad(key, "expected a byte size such as 250MB, got " + describe(v));
        }
        try {
            return Caches.parseBytes(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    /** A Go duration ({@code 500ms}, {@code 1m30s}, {@code 24h}); an integer means nanoseconds, as in Go. */
    Duration duration(String key, Duration def) {
        Object v = fields.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Integer || v instanceof Long) {
            return Duration.ofNanos(((Number) v).longValue());
        }
        if (v instanceof Map || v instanceof List) {
            throw bad(key, "expected a duration such as 500ms, got " + describe(v));
        }
        try {
            return Caches.parseGoDuration(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    List<String> strings(String key) {
        Object v = fields.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw bad(key, "expected a list of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (o == null || o instanceof Map || o instanceof List) {
                throw bad(key, "expected a list of strings, got an element " + (o == null ? "null" : describe(o)));
            }
            out.add(String.valueOf(o));
        }
        return out;
    }
}
