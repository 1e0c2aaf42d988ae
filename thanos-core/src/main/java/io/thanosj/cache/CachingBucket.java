package io.thanosj.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.model.XxHash64;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.ObjectAttributes;
import io.thanosj.objstore.ObjectNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@link Bucket} that caches what the store gateway reads repeatedly, as Thanos's caching bucket
 * ({@code --store.caching-bucket.config}): chunk segment files by fixed-size sub-ranges (a range
 * read becomes cache hits plus at most {@code max_chunks_get_range_requests} merged reads of the
 * missing sub-ranges), chunk file attributes, the listing of the bucket root, and existence and
 * content of {@code meta.json} and {@code deletion-mark.json}. Everything else passes through.
 * Entries expire by TTL only: objects in a bucket are immutable once written, and a deleted block
 * stops being listed when the listing entry expires.
 */
public final class CachingBucket implements Bucket {
    private static final Pattern CHUNK_FILE = Pattern.compile("^.*/chunks/\\d+$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHAT = "caching bucket config";

    /** Thanos's {@code CachingWithBackendConfig} with its defaults. */
    record Config(long subrangeSize, int maxGetRangeRequests, Duration attrsTtl, Duration subrangeTtl, Duration iterTtl,
                  Duration existsTtl, Duration doesntExistTtl, Duration contentTtl, long metafileMaxSize) {}

    private final Bucket inner;
    private final Cache cache;
    private final Config cfg;
    private final String iterHash;
    private final Map<String, Counter> requests = new HashMap<>();
    private final Map<String, Counter> hits = new HashMap<>();
    private final Counter requestedBytes;
    private final Counter fetchedFromCache;
    private final Counter fetchedFromBucket;
    /**
     * Chunk file attributes already parsed, with when they expire: every cached range read needs
     * the file's size, and fetching and parsing its JSON entry each time cost more than the
     * lookups of the range itself. Objects are immutable, so only the TTL bounds an entry.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Attrs> parsedAttrs = new java.util.concurrent.ConcurrentHashMap<>();

    private record Attrs(ObjectAttributes attributes, long expiresAtNanos) {}

    /** Chunk file sizes from {@link #knownSize}: what a range read needs of the attributes. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> knownSizes = new java.util.concurrent.ConcurrentHashMap<>();

    /** How long parsed attributes are kept (the attributes TTL; 0 keeps none). */
    private final long parsedAttrsTtlNanos;

    /** Parsed attributes held at most: blocks come and go, their entries are dropped in bulk. */
    static final int MAX_PARSED_ATTRS = 4096;

    CachingBucket(Bucket inner, Cache cache, Config cfg, String configHash, MeterRegistry registry) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.cfg = cfg;
        // A TTL of centuries would overflow nanoseconds; a few decades is as good as forever.
        Duration forever = Duration.ofDays(36_500);
        this.parsedAttrsTtlNanos = cfg.attrsTtl.isNegative() ? 0
                : (cfg.attrsTtl.compareTo(forever) > 0 ? forever : cfg.attrsTtl).toNanos();
        this.iterHash = configHash;
        String[][] ops = {{"get_range", "chunks"}, {"attributes", "chunks"}, {"exists", "metafile"},
            {"get", "metafile"}, {"iter", "blocks-iter"}};
        for (String[] op : ops) {
            requests.put(op[0], Counter.builder("thanos.store.bucket.cache.operation.requests")
                    .tags("operation", op[0], "config", op[1])
                    .description("Number of requested operations matching given config.").register(registry));
            hits.put(op[0], Counter.builder("thanos.store.bucket.cache.operation.hits")
                    .tags("operation", op[0], "config", op[1])
                    .description("Number of operations served from cache for given config.").register(registry));
        }
        requestedBytes = Counter.builder("thanos.store.bucket.cache.getrange.requested.bytes").tag("config", "chunks")
                .description("Total number of bytes requested via GetRange.").register(registry);
        fetchedFromCache = Counter.builder("thanos.store.bucket.cache.getrange.fetched.bytes").tags("origin", "cache", "config", "chunks")
                .description("Total number of bytes fetched because of GetRange operation.").register(registry);
        fetchedFromBucket = Counter.builder("thanos.store.bucket.cache.getrange.fetched.bytes").tags("origin", "bucket", "config", "chunks")
                .description("Total number of bytes fetched because of GetRange operation.").register(registry);
    }

    /** Wraps {@code inner} as configured by the YAML; the result owns and closes the cache backend. */
    public static CachingBucket fromYaml(String yaml, Bucket inner, MeterRegistry registry) {
        YamlMap top = YamlMap.parse(WHAT, yaml);
        top.allowOnly("type", "config", "chunk_subrange_size", "max_chunks_get_range_requests", "chunk_object_attrs_ttl",
                "chunk_subrange_ttl", "blocks_iter_ttl", "metafile_exists_ttl", "metafile_doesnt_exist_ttl",
                "metafile_content_ttl", "metafile_max_size");
        long sub = top.integer("chunk_subrange_size", 16000);
        if (sub <= 0) {
            throw top.bad("chunk_subrange_size", "must be positive, got " + sub);
        }
        Config cfg = new Config(sub,
                (int) Math.max(0, Math.min(Integer.MAX_VALUE, top.integer("max_chunks_get_range_requests", 3))),
                top.duration("chunk_object_attrs_ttl", Duration.ofHours(24)),
                top.duration("chunk_subrange_ttl", Duration.ofHours(24)),
                top.duration("blocks_iter_ttl", Duration.ofMinutes(5)),
                top.duration("metafile_exists_ttl", Duration.ofHours(2)),
                top.duration("metafile_doesnt_exist_ttl", Duration.ofMinutes(15)),
                top.duration("metafile_content_ttl", Duration.ofHours(24)),
                top.bytes("metafile_max_size", 1L << 20));
        Cache backend = Caches.create(WHAT, top.string("type", ""), top.map("config"), "caching-bucket", registry);
        String hash = Long.toUnsignedString(XxHash64.hash(yaml));
        return new CachingBucket(inner, backend, cfg, hash, registry);
    }

    static boolean isChunkFile(String name) {
        return CHUNK_FILE.matcher(name).matches();
    }

    static boolean isMetaFile(String name) {
        return name.endsWith("/meta.json") || name.endsWith("/deletion-mark.json");
    }

    private void request(String op) {
        requests.get(op).increment();
    }

    private void hit(String op, double n) {
        hits.get(op).increment(n);
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        if (!dir.isEmpty() || cfg.iterTtl.isZero()) {
            inner.iter(dir, recursive, visitor);
            return;
        }
        request("iter");
        String key = (recursive ? "iter-recursive:" : "iter:") + dir + ":" + iterHash;
        byte[] cached = cache.fetch(List.of(key)).get(key);
        if (cached != null) {
            List<String> names = decodeList(cached);
            if (names != null) {
                hit("iter", 1);
                names.forEach(visitor);
                return;
            }
        }
        long start = System.nanoTime();
        List<String> names = new ArrayList<>();
        inner.iter(dir, recursive, n -> {
            names.add(n);
            visitor.accept(n);
        });
        Duration left = cfg.iterTtl.minusNanos(System.nanoTime() - start);
        if (!left.isNegative() && !left.isZero()) {
            cache.store(key, encodeList(names), left);
        }
    }

    private static byte[] encodeList(List<String> names) {
        ArrayNode a = JSON.createArrayNode();
        names.forEach(a::add);
        return a.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> decodeList(byte[] b) {
        try {
            JsonNode n = JSON.readTree(b);
            if (!n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>(n.size());
            n.forEach(e -> out.add(e.asText()));
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean exists(String name) {
        if (!isMetaFile(name)) {
            return inner.exists(name);
        }
        request("exists");
        String key = "exists:" + name;
        byte[] cached = cache.fetch(List.of(key)).get(key);
        if (cached != null) {
            String v = new String(cached, StandardCharsets.UTF_8);
            if (v.equals("true") || v.equals("false")) {
                hit("exists", 1);
                return v.equals("true");
            }
        }
        long start = System.nanoTime();
        boolean ok = inner.exists(name);
        storeExists(key, ok, start);
        return ok;
    }

    private void storeExists(String key, boolean exists, long startNanos) {
        Duration ttl = (exists ? cfg.existsTtl : cfg.doesntExistTtl).minusNanos(System.nanoTime() - startNanos);
        if (!ttl.isNegative() && !ttl.isZero()) {
            cache.store(key, Boolean.toString(exists).getBytes(StandardCharsets.UTF_8), ttl);
        }
    }

    @Override
    public InputStream get(String name) {
        if (!isMetaFile(name)) {
            return inner.get(name);
        }
        request("get");
        String contentKey = "content:" + name;
        String existsKey = "exists:" + name;
        Map<String, byte[]> got = cache.fetch(List.of(contentKey, existsKey));
        if (got.get(contentKey) != null) {
            hit("get", 1);
            return new ByteArrayInputStream(got.get(contentKey));
        }
        if (got.get(existsKey) != null && new String(got.get(existsKey), StandardCharsets.UTF_8).equals("false")) {
            hit("get", 1);
            throw new ObjectNotFoundException(inner.name(), name);
        }
        long start = System.nanoTime();
        byte[] content;
        try (InputStream in = inner.get(name)) {
            content = in.readAllBytes();
        } catch (ObjectNotFoundException e) {
            storeExists(existsKey, false, start);
            throw e;
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read " + name + " from bucket " + inner.name() + ": " + e, e);
        }
        storeExists(existsKey, true, start);
        if (content.length <= cfg.metafileMaxSize) {
            cache.store(contentKey, content, cfg.contentTtl);
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public ObjectAttributes attributes(String name) {
        if (!isChunkFile(name)) {
            return inner.attributes(name);
        }
        return cachedAttributes(name, true);
    }

    /** {@code count}: an attributes call of the caller, not one made for a range read. */
    private ObjectAttributes cachedAttributes(String name, boolean count) {
        if (count) {
            request("attributes");
        }
        ObjectAttributes memo = parsed(name);
        if (memo != null) {
            if (count) {
                hit("attributes", 1);
            }
            return memo;
        }
        String key = "attrs:" + name;
        byte[] cached = cache.fetch(List.of(key)).get(key);
        if (cached != null) {
            try {
                JsonNode n = JSON.readTree(cached);
                ObjectAttributes a = new ObjectAttributes(n.path("size").asLong(), Instant.parse(n.path("last_modified").asText()));
                if (count) {
                    hit("attributes", 1);
                }
                remember(name, a);
                return a;
            } catch (IOException | RuntimeException e) {
                // A value written by something else: fetch afresh.
            }
        }
        ObjectAttributes a = inner.attributes(name);
        ObjectNode n = JSON.createObjectNode();
        n.put("size", a.size());
        n.put("last_modified", a.lastModified().toString());
        cache.store(key, n.toString().getBytes(StandardCharsets.UTF_8), cfg.attrsTtl);
        remember(name, a);
        return a;
    }

    private void remember(String name, ObjectAttributes a) {
        if (parsedAttrsTtlNanos == 0) {
            return;
        }
        if (parsedAttrs.size() >= MAX_PARSED_ATTRS) {
            parsedAttrs.clear();
        }
        parsedAttrs.put(name, new Attrs(a, System.nanoTime() + parsedAttrsTtlNanos));
    }

    @Override
    public void knownSize(String name, long size) {
        if (!isChunkFile(name) || size <= 0) {
            return;
        }
        if (knownSizes.size() >= MAX_PARSED_ATTRS) {
            knownSizes.clear();
        }
        knownSizes.put(name, size);
    }

    /** The object's size without a bucket request when it is known, else -1. */
    private long sizeIfKnown(String name) {
        ObjectAttributes memo = parsed(name);
        if (memo != null) {
            return memo.size();
        }
        Long known = knownSizes.get(name);
        return known == null ? -1 : known;
    }

    /** The object's size, asked of the bucket (through the attributes cache) only when not known. */
    private long size(String name) {
        long size = sizeIfKnown(name);
        return size >= 0 ? size : cachedAttributes(name, false).size();
    }

    /** The attributes parsed earlier for {@code name} while their TTL lasts, else null. */
    private ObjectAttributes parsed(String name) {
        Attrs memo = parsedAttrs.get(name);
        return memo != null && System.nanoTime() - memo.expiresAtNanos < 0 ? memo.attributes : null;
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        if (offset < 0 || length <= 0 || !isChunkFile(name)) {
            return inner.getRange(name, offset, length);
        }
        InputStream tee = streamIfNothingCached(name, offset, length);
        return tee != null ? tee : new ByteArrayInputStream(cachedRange(name, offset, length));
    }

    /**
     * Chunk ranges are streamed when none of their sub-ranges is cached (a cold read of megabytes
     * is then decoded as it arrives, as without a cache); callers try {@link #cachedRangeBytes}
     * first for ranges the cache holds.
     */
    @Override
    public boolean buffersRanges(String name) {
        return inner.buffersRanges(name);
    }

    /**
     * A stream of {@code [offset, offset + length)} read from the bucket when no sub-range of it
     * is cached, storing each sub-range as it passes; null when some are cached (then the range
     * is assembled from the cache and reads of the missing parts).
     */
    private InputStream streamIfNothingCached(String name, long offset, long length) {
        long size = size(name);
        if (offset >= size) {
            return null;
        }
        long len = Math.min(length, size - offset);
        List<String> keys = subrangeKeys(name, offset, len, size);
        if (!cache.fetch(keys).isEmpty()) {
            return null;
        }
        request("get_range");
        requestedBytes.increment(len);
        hit("get_range", 0);
        long sub = cfg.subrangeSize;
        long startRange = offset / sub * sub;
        long endRange = Math.min((offset + len + sub - 1) / sub * sub, size);
        return new SubrangeTee(name, inner.getRange(name, startRange, endRange - startRange), startRange, offset,
                offset + len, endRange, size, keys);
    }

    /**
     * Passes {@code [from, to)} of a sub-range aligned read to the caller and caches every
     * complete sub-range it has seen. The aligned head before {@code from} is read first; the
     * tail after {@code to} is read on close when the caller read everything, so the last
     * sub-range is complete too. A caller that stops early leaves its partial sub-range uncached.
     */
    private final class SubrangeTee extends InputStream {
        private final String name;
        private final InputStream in;
        private final long from;
        private final long to;
        private final long endRange;
        private final long size;
        private final List<String> keys;
        private final long startRange;
        private long pos;
        private byte[] part;
        private int partFill;
        private boolean closed;

        SubrangeTee(String name, InputStream in, long startRange, long from, long to, long endRange, long size, List<String> keys) {
            this.name = name;
            this.in = in;
            this.startRange = startRange;
            this.pos = startRange;
            this.from = from;
            this.to = to;
            this.endRange = endRange;
            this.size = size;
            this.keys = keys;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            if (pos < from) {
                skipTo(from);
            }
            if (pos >= to) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(n, to - pos));
            if (r < 0) {
                throw endedEarly();
            }
            keep(b, off, r);
            return r;
        }

        /** Reads (and keeps) the bytes up to {@code target}. */
        private void skipTo(long target) throws IOException {
            byte[] buf = new byte[8192];
            while (pos < target) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, target - pos));
                if (r < 0) {
                    throw endedEarly();
                }
                keep(buf, 0, r);
            }
        }

        private IOException endedEarly() {
            return new IOException("read range [" + startRange + ", " + endRange + ") of " + name + " from bucket "
                    + inner.name() + ": stream ended at " + pos);
        }

        /** Copies {@code b[off, off + n)}, at {@link #pos}, into sub-ranges and caches the complete ones. */
        private void keep(byte[] b, int off, int n) {
            long sub = cfg.subrangeSize;
            while (n > 0) {
                long partStart = pos / sub * sub;
                if (part == null) {
                    part = new byte[(int) (Math.min(partStart + sub, size) - partStart)];
                    partFill = 0;
                }
                int k = Math.min(n, part.length - partFill);
                System.arraycopy(b, off, part, partFill, k);
                partFill += k;
                pos += k;
                off += k;
                n -= k;
                if (partFill == part.length) {
                    fetchedFromBucket.increment(part.length);
                    cache.store(keys.get((int) ((partStart - startRange) / sub)), part, cfg.subrangeTtl);
                    part = null;
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (in) {
                if (pos >= to) {
                    skipTo(endRange);
                }
            } catch (IOException e) {
                // The caller has all its bytes; only the last sub-range stays uncached.
            }
        }
    }

    /** Chunk ranges come straight from the assembled sub-ranges, without a stream in between. */
    @Override
    public byte[] getRangeBytes(String name, long offset, int length) {
        if (offset < 0 || length <= 0 || !isChunkFile(name)) {
            return inner.getRangeBytes(name, offset, length);
        }
        return cachedRange(name, offset, length);
    }

    /**
     * A chunk range assembled from cached sub-ranges, or null (nothing counted) when one is
     * missing or the object's size is not cached: then {@link #getRangeBytes} reads it.
     */
    @Override
    public byte[] cachedRangeBytes(String name, long offset, int length) {
        if (offset < 0 || length <= 0 || !isChunkFile(name)) {
            return null;
        }
        long size = sizeIfKnown(name);
        if (size < 0 || offset >= size) {
            return null;
        }
        long len = Math.min(length, size - offset);
        long sub = cfg.subrangeSize;
        long startRange = offset / sub * sub;
        List<String> keys = subrangeKeys(name, offset, len, size);
        Map<String, byte[]> got = cache.fetch(keys);
        if (got.size() < keys.size()) {
            return null;
        }
        request("get_range");
        requestedBytes.increment(length);
        long cachedBytes = 0;
        for (byte[] b : got.values()) {
            cachedBytes += b.length;
        }
        fetchedFromCache.increment(cachedBytes);
        hit("get_range", 1);
        return assemble(name, offset, len, startRange, size, keys, got);
    }

    private List<String> subrangeKeys(String name, long offset, long length, long size) {
        long sub = cfg.subrangeSize;
        long startRange = offset / sub * sub;
        long endRange = (offset + length + sub - 1) / sub * sub;
        List<String> keys = new ArrayList<>((int) ((endRange - startRange) / sub));
        String prefix = "subrange:" + name + ":";
        for (long off = startRange; off < endRange; off += sub) {
            keys.add(prefix + off + ":" + Math.min(off + sub, size));
        }
        return keys;
    }

    private byte[] cachedRange(String name, long offset, long length) {
        request("get_range");
        requestedBytes.increment(length);
        long size = size(name);
        if (offset >= size) {
            return new byte[0];
        }
        if (offset + length > size) {
            length = size - offset;
        }
        long sub = cfg.subrangeSize;
        long startRange = offset / sub * sub;
        List<String> keys = subrangeKeys(name, offset, length, size);
        int n = keys.size();
        Map<String, byte[]> got = new HashMap<>(cache.fetch(keys));
        long cachedBytes = 0;
        for (byte[] b : got.values()) {
            cachedBytes += b.length;
        }
        fetchedFromCache.increment(cachedBytes);
        hit("get_range", (double) got.size() / n);
        if (got.size() < n) {
            fetchMissing(name, startRange, size, keys, got);
        }
        return assemble(name, offset, length, startRange, size, keys, got);
    }

    /** {@code [offset, offset + length)} copied out of the sub-ranges in {@code got}. */
    private byte[] assemble(String name, long offset, long length, long startRange, long size, List<String> keys,
            Map<String, byte[]> got) {
        long sub = cfg.subrangeSize;
        byte[] out = new byte[(int) length];
        long pos = offset;
        int w = 0;
        while (w < out.length) {
            int idx = (int) ((pos - startRange) / sub);
            byte[] part = got.get(keys.get(idx));
            long partStart = startRange + idx * sub;
            long expected = Math.min(partStart + sub, size) - partStart;
            if (part == null || part.length != expected) {
                throw new ThanosException(ErrorCode.INTERNAL, "read " + name + " through the caching bucket: sub-range at "
                        + partStart + " has " + (part == null ? "no data" : part.length + " bytes, expected " + expected));
            }
            int from = (int) (pos - partStart);
            int k = Math.min(out.length - w, part.length - from);
            System.arraycopy(part, from, out, w, k);
            w += k;
            pos += k;
        }
        return out;
    }

    /** Reads the missing sub-ranges in at most {@code maxGetRangeRequests} merged reads and caches each. */
    private void fetchMissing(String name, long startRange, long size, List<String> keys, Map<String, byte[]> got) {
        long sub = cfg.subrangeSize;
        List<long[]> missing = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (got.get(keys.get(i)) == null) {
                long s = startRange + i * sub;
                missing.add(new long[] {s, Math.min(s + sub, size)});
            }
        }
        missing = merge(missing, 0);
        for (long gap = sub; cfg.maxGetRangeRequests > 0 && missing.size() > cfg.maxGetRangeRequests; gap *= 2) {
            missing = merge(missing, gap);
        }
        for (long[] m : missing) {
            byte[] buf;
            try (InputStream in = inner.getRange(name, m[0], m[1] - m[0])) {
                buf = in.readNBytes((int) (m[1] - m[0]));
            } catch (IOException e) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "read range [" + m[0] + ", " + m[1] + ") of " + name
                        + " from bucket " + inner.name() + ": " + e, e);
            }
            if (buf.length != m[1] - m[0]) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "read range [" + m[0] + ", " + m[1] + ") of " + name
                        + " from bucket " + inner.name() + ": got " + buf.length + " bytes");
            }
            for (long off = m[0]; off < m[1]; off += sub) {
                int idx = (int) ((off - startRange) / sub);
                String key = keys.get(idx);
                int from = (int) (off - m[0]);
                int len = (int) (Math.min(off + sub, size) - off);
                byte[] part = java.util.Arrays.copyOfRange(buf, from, from + len);
                if (got.putIfAbsent(key, part) == null) {
                    fetchedFromBucket.increment(part.length);
                    cache.store(key, part, cfg.subrangeTtl);
                }
            }
        }
    }

    /** Merges ranges whose gap is at most {@code gap}. */
    static List<long[]> merge(List<long[]> in, long gap) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : in) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] - last[1] <= gap) {
                last[1] = r[1];
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }

    @Override
    public void upload(String name, InputStream in) {
        inner.upload(name, in);
    }

    @Override
    public void delete(String name) {
        inner.delete(name);
    }

    @Override
    public String name() {
        return inner.name();
    }

    /** Closes the cache backend and the wrapped bucket. */
    @Override
    public void close() {
        try {
            cache.close();
        } finally {
            inner.close();
        }
    }
}
