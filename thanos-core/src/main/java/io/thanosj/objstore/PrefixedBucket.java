package io.thanosj.objstore;

import java.io.InputStream;
import java.util.function.Consumer;

/** Puts every object under {@code prefix/}, as the objstore YAML's {@code prefix} does in Thanos. */
final class PrefixedBucket implements Bucket {
    private final Bucket inner;
    private final String prefix;

    private PrefixedBucket(Bucket inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    /** Wraps {@code inner} unless the prefix is empty or only slashes. */
    static Bucket wrap(Bucket inner, String prefix) {
        String trimmed = trimSlashes(prefix == null ? "" : prefix);
        return trimmed.isEmpty() ? inner : new PrefixedBucket(inner, trimmed);
    }

    private static String trimSlashes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '/') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '/') {
            e--;
        }
        return s.substring(b, e);
    }

    private String full(String name) {
        // An empty name stays empty so that the inner bucket rejects it as such.
        return name.isEmpty() ? name : prefix + DIR_DELIM + name;
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        String strip = prefix + DIR_DELIM;
        inner.iter(prefix + DIR_DELIM + dir, recursive,
                n -> visitor.accept(n.startsWith(strip) ? n.substring(strip.length()) : n));
    }

    @Override
    public InputStream get(String name) {
        return inner.get(full(name));
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        return inner.getRange(full(name), offset, length);
    }

    @Override
    public boolean exists(String name) {
        return inner.exists(full(name));
    }

    @Override
    public ObjectAttributes attributes(String name) {
        return inner.attributes(full(name));
    }

    @Override
    public void upload(String name, InputStream in) {
        inner.upload(full(name), in);
    }

    @Override
    public void delete(String name) {
        inner.delete(full(name));
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
        inner.close();
    }
}
