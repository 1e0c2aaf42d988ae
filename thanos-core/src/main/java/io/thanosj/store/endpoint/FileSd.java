package io.thanosj.store.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Prometheus's file service discovery as Thanos reads it for endpoints: YAML ({@code .yml},
 * {@code .yaml}) or JSON ({@code .json}) files holding a list of {@code {targets: [...], labels:
 * {...}}} groups; only targets matter here. A pattern may glob its last path element
 * ({@code /etc/thanos/sd/*.json}). Files are re-read only when their modification time or size
 * changed; a file that fails to parse keeps its last good targets and reports the error.
 */
final class FileSd {
    private record Cached(FileTime mtime, long size, List<String> targets) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> patterns;
    private final Map<Path, Cached> cache = new HashMap<>();

    FileSd(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** All targets of all files now; problems are appended to {@code errors}. */
    synchronized List<String> targets(List<String> errors) {
        Set<String> out = new LinkedHashSet<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (String p : patterns) {
            for (Path f : expand(p, errors)) {
                seen.add(f);
                out.addAll(read(f, errors));
            }
        }
        cache.keySet().retainAll(seen);
        return new ArrayList<>(out);
    }

    private static List<Path> expand(String pattern, List<String> errors) {
        Path p = Path.of(pattern);
        Path name = p.getFileName();
        if (name == null || !hasGlob(name.toString())) {
            return List.of(p);
        }
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name.toString())) {
            for (Path f : ds) {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        } catch (IOException e) {
            errors.add("list file SD directory " + dir + ": " + e);
        }
        out.sort(null);
        return out;
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private List<String> read(Path f, List<String> errors) {
        Cached c = cache.get(f);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            errors.add("read file SD file " + f + ": no such file");
            cache.remove(f);
            return List.of();
        } catch (IOException e) {
            errors.add("read file SD file " + f + ": " + e);
            return c == null ? List.of() : c.targets();
        }
        if (c != null && c.mtime().equals(attrs.lastModifiedTime()) && c.size() == attrs.size()) {
            return c.targets();
        }
        try {
            List<String> targets = parse(f);
            cache.put(f, new Cached(attrs.lastModifiedTime(), attrs.size(), targets));
            return targets;
        } catch (IOException | RuntimeException e) {
            errors.add("read file SD file " + f + ": " + e.getMessage());
            return c == null ? List.of() : c.targets();
        }
    }

    static List<String> parse(Path f) throws IOException {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        Object doc;
        try (InputStream in = Files.newInputStream(f)) {
            if (name.endsWith(".json")) {
                doc = JSON.readValue(in, Object.class);
            } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            } else {
                throw new IOException("unknown file extension, want .json, .yml or .yaml");
            }
        }
        if (doc == null) {
            return List.of();
        }
        if (!(doc instanceof List<?> groups)) {
            throw new IOException("want a list of target groups, got " + kind(doc));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (!(groups.get(i) instanceof Map<?, ?> g)) {
                throw new IOException("target group " + i + ": want a map with \"targets\", got " + kind(groups.get(i)));
            }
            Object targets = g.get("targets");
            if (targets == null) {
                continue;
            }
            if (!(targets instanceof List<?> ts)) {
                throw new IOException("target group " + i + ": \"targets\" must be a list, got " + kind(targets));
            }
            for (Object t : ts) {
                if (!(t instanceof String s)) {
                    throw new IOException("target group " + i + ": target " + t + " is not a string");
                }
                out.add(s);
            }
        }
        return out;
    }

    private static String kind(Object o) {
        return o instanceof Map ? "a map" : o instanceof List ? "a list" : "\"" + o + "\"";
    }
}
