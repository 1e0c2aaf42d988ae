package io.thanosj.cache;

import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.ObjectAttributes;
import io.thanosj.objstore.ObjectNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory bucket that records every call as {@code "op name[ offset length]"}, for tests
 * that assert what reached object storage. Optionally wraps a real bucket instead of its map.
 */
public class RecordingBucket implements Bucket {
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final Bucket delegate;
    public final List<String> calls = new CopyOnWriteArrayList<>();

    public RecordingBucket() {
        this.delegate = null;
    }

    public RecordingBucket(Bucket delegate) {
        this.delegate = delegate;
    }

    public void put(String name, byte[] content) {
        objects.put(name, content);
    }

    /** Calls whose text starts with {@code prefix}, e.g. {@code "get_range 01H/index"}. */
    public long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        calls.add("iter " + dir);
        if (delegate != null) {
            delegate.iter(dir, recursive, visitor);
            return;
        }
        String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
        TreeMap<String, Boolean> out = new TreeMap<>();
        for (String n : objects.keySet()) {
            if (!n.startsWith(prefix)) {
                continue;
            }
            String rest = n.substring(prefix.length());
            int slash = rest.indexOf('/');
            out.put(recursive || slash < 0 ? n : prefix + rest.substring(0, slash + 1), true);
        }
        out.keySet().forEach(visitor);
    }

    private byte[] object(String name) {
        byte[] b = objects.get(name);
        if (b == null) {
            throw new ObjectNotFoundException("recording", name);
        }
        return b;
    }

    @Override
    public InputStream get(String name) {
        calls.add("get " + name);
        if (delegate != null) {
            return delegate.get(name);
        }
        return new ByteArrayInputStream(object(name));
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        calls.add("get_range " + name + " " + offset + " " + length);
        if (delegate != null) {
            return delegate.getRange(name, offset, length);
        }
        byte[] b = object(name);
        int from = (int) Math.min(offset, b.length);
        int to = length < 0 ? b.length : (int) Math.min(b.length, offset + length);
        return new ByteArrayInputStream(b, from, Math.max(0, to - from));
    }

    @Override
    public boolean exists(String name) {
        calls.add("exists " + name);
        return delegate != null ? delegate.exists(name) : objects.containsKey(name);
    }

    @Override
    public ObjectAttributes attributes(String name) {
        calls.add("attributes " + name);
        if (delegate != null) {
            return delegate.attributes(name);
        }
        return new ObjectAttributes(object(name).length, Instant.EPOCH);
    }

    @Override
    public void upload(String name, InputStream in) {
        calls.add("upload " + name);
        if (delegate != null) {
            delegate.upload(name, in);
            return;
        }
        try {
            objects.put(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String name) {
        calls.add("delete " + name);
        if (delegate != null) {
            delegate.delete(name);
            return;
        }
        objects.remove(name);
    }

    @Override
    public String name() {
        return delegate != null ? delegate.name() : "recording";
    }

    @Override
    public void close() {
        if (delegate != null) {
            delegate.close();
        }
    }
}
