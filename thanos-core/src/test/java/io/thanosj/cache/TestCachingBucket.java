package io.thanosj.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.ObjectNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestCachingBucket {
    static final String CHUNKS = "01HBLOCK/chunks/000001";
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RecordingBucket inner = new RecordingBucket();
    final byte[] data = new byte[100_000];

    TestCachingBucket() {
        new Random(7).nextBytes(data);
        inner.put(CHUNKS, data);
        inner.put("01HBLOCK/index", data);
        inner.put("01HBLOCK/meta.json", "{\"ulid\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    }

    CachingBucket bucket(String extra) {
        return CachingBucket.fromYaml("type: IN-MEMORY\nconfig:\n  max_size: 10MB\n  max_item_size: 1MB\n"
                + "chunk_subrange_size: 1000\n" + extra, inner, registry);
    }

    static byte[] read(InputStream in) throws Exception {
        try (in) {
            return in.readAllBytes();
        }
    }

    static byte[] slice(byte[] b, long off, long len) {
        return java.util.Arrays.copyOfRange(b, (int) off, (int) Math.min(b.length, off + len));
    }

    @Test
    void rangesOfChunkFilesAreServedFromSubrangesAfterTheFirstRead() throws Exception {
        Bucket b = bucket("");
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            long off = r.nextInt(data.length);
            long len = 1 + r.nextInt(5000);
            assertThat(read(b.getRange(CHUNKS, off, len))).isEqualTo(slice(data, off, len));
        }
        long reads = inner.count("get_range " + CHUNKS);
        // Every sub-range was read from the bucket at most once, by reads that each cover missing ones.
        assertThat(reads).isGreaterThan(0);
        inner.calls.clear();
        for (long off = 0; off < data.length; off += 997) {
            assertThat(read(b.getRange(CHUNKS, off, 1500))).isEqualTo(slice(data, off, 1500));
        }
        assertThat(inner.count("get_range " + CHUNKS)).as("second pass after the first touched most ranges").isLessThan(40);
        inner.calls.clear();
        for (long off = 0; off < data.length; off += 997) {
            read(b.getRange(CHUNKS, off, 1500));
            assertThat(b.getRangeBytes(CHUNKS, off, 1500)).isEqualTo(slice(data, off, 1500));
        }
        assertThat(inner.count("get_range")).isZero();
        assertThat(inner.count("attributes")).isZero();
    }

    @Test
    void aChunkFileSizeKnownFromTheBlockMetaSavesTheAttributesRequest() throws Exception {
        Bucket b = bucket("");
        b.knownSize(CHUNKS, data.length);
        b.knownSize("01HBLOCK/index", data.length); // not a chunk file: ignored
        Random r = new Random(5);
        for (int i = 0; i < 50; i++) {
            long off = r.nextInt(data.length);
            long len = 1 + r.nextInt(5000);
            assertThat(b.getRangeBytes(CHUNKS, off, (int) len)).isEqualTo(slice(data, off, len));
        }
        assertThat(b.getRangeBytes(CHUNKS, data.length - 10, 100)).as("clamped at the known end").isEqualTo(slice(data, data.length - 10, 100));
        assertThat(inner.count("get_range " + CHUNKS)).isPositive();
        assertThat(inner.count("attributes")).isZero();
        // The keys are the ones a size from the bucket gives: another caching bucket on the same
        // cache backend would find them (here: the same bucket answers from the cache alone).
        inner.calls.clear();
        assertThat(b.cachedRangeBytes(CHUNKS, data.length - 10, 10)).isEqualTo(slice(data, data.length - 10, 10));
        assertThat(inner.calls).isEmpty();
    }

    @Test
    void withoutAKnownSizeTheFirstReadAsksForTheAttributes() throws Exception {
        Bucket b = bucket("");
        assertThat(b.getRangeBytes(CHUNKS, 10, 100)).isEqualTo(slice(data, 10, 100));
        assertThat(inner.count("attributes " + CHUNKS)).isEqualTo(1);
    }

    @Test
    void aRangeWithNothingCachedIsStreamedAndCachedAsItPasses() throws Exception {
        Bucket b = bucket("");
        b.knownSize(CHUNKS, data.length);
        long off = 2_345;
        int len = 20_000;
        byte[] got = new byte[len];
        try (InputStream in = b.getRange(CHUNKS, off, len)) {
            int n = 0;
            int r;
            while ((r = in.read(got, n, Math.min(777, len - n))) > 0) {
                n += r;
            }
            assertThat(n).isEqualTo(len);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(got).isEqualTo(slice(data, off, len));
        assertThat(inner.calls).containsExactly("get_range " + CHUNKS + " 2000 21000"); // aligned to sub-ranges of 1000
        inner.calls.clear();
        // Head and tail sub-ranges included: every aligned byte was cached.
        assertThat(b.cachedRangeBytes(CHUNKS, 2000, 21_000)).isEqualTo(slice(data, 2000, 21_000));
        assertThat(inner.calls).isEmpty();
        // At the end of the object the last sub-range is short.
        try (InputStream in = b.getRange(CHUNKS, data.length - 50, 500)) {
            assertThat(in.readAllBytes()).isEqualTo(slice(data, data.length - 50, 50));
        }
        assertThat(b.cachedRangeBytes(CHUNKS, data.length - 1000, 1000)).isEqualTo(slice(data, data.length - 1000, 1000));
    }

    @Test
    void aStreamClosedEarlyCachesOnlyWholeSubranges() throws Exception {
        Bucket b = bucket("");
        b.knownSize(CHUNKS, data.length);
        try (InputStream in = b.getRange(CHUNKS, 0, 10_000)) {
            assertThat(in.readNBytes(2_500)).isEqualTo(slice(data, 0, 2_500));
        }
        assertThat(b.cachedRangeBytes(CHUNKS, 0, 2_000)).isEqualTo(slice(data, 0, 2_000));
        assertThat(b.cachedRangeBytes(CHUNKS, 2_000, 500)).as("the sub-range being read when closed").isNull();
    }

    @Test
    void aStreamThatEndsTooSoonFailsWithTheRange() throws Exception {
        RecordingBucket shortInner = new RecordingBucket() {
            @Override
            public InputStream getRange(String name, long offset, long length) {
                return new java.io.ByteArrayInputStream(slice(data, offset, length / 2));
            }
        };
        shortInner.put(CHUNKS, data);
        Bucket b = CachingBucket.fromYaml("type: IN-MEMORY\nconfig:\n  max_size: 10MB\n  max_item_size: 1MB\n"
                + "chunk_subrange_size: 1000\n", shortInner, registry);
        b.knownSize(CHUNKS, data.length);
        assertThatThrownBy(() -> {
            try (InputStream in = b.getRange(CHUNKS, 500, 8000)) {
                in.readAllBytes();
            }
        }).isInstanceOf(java.io.IOException.class).hasMessageContaining("read range [0, 9000) of " + CHUNKS).hasMessageContaining("stream ended at 4500");
    }

    @Test
    void cachedRangeBytesAnswersOnlyFromTheCache() {
        Bucket b = bucket("");
        assertThat(b.cachedRangeBytes(CHUNKS, 1500, 3000)).as("nothing cached yet").isNull();
        assertThat(b.getRangeBytes(CHUNKS, 1000, 2000)).isEqualTo(slice(data, 1000, 2000));
        inner.calls.clear();
        assertThat(b.cachedRangeBytes(CHUNKS, 1500, 1400)).isEqualTo(slice(data, 1500, 1400));
        assertThat(b.cachedRangeBytes(CHUNKS, 1500, 3000)).as("one sub-range missing").isNull();
        assertThat(b.cachedRangeBytes("01HBLOCK/index", 0, 10)).as("not a chunk file").isNull();
        assertThat(inner.calls).as("never reads the bucket").isEmpty();
        assertThat(b.getRangeBytes(CHUNKS, data.length - 500, 1000)).isEqualTo(slice(data, data.length - 500, 500));
        assertThat(b.cachedRangeBytes(CHUNKS, data.length - 500, 1000)).as("cut at the end").isEqualTo(slice(data, data.length - 500, 500));
        assertThat(registry.get("thanos.store.bucket.cache.operation.hits").tag("operation", "get_range").counter().count())
                .isEqualTo(2);
    }

    @Test
    void chunkFileAttributesAreParsedOncePerTtl() {
        Bucket b = bucket("chunk_object_attrs_ttl: 1h\n");
        for (int i = 0; i < 20; i++) {
            b.getRangeBytes(CHUNKS, i * 100L, 50);
            assertThat(b.attributes(CHUNKS).size()).isEqualTo(data.length);
        }
        assertThat(inner.count("attributes " + CHUNKS)).isEqualTo(1);
        double before = registry.get("thanos.cache.inmemory.requests").tag("name", "caching-bucket").counter().count();
        for (int i = 0; i < 5; i++) {
            b.attributes(CHUNKS);
        }
        assertThat(registry.get("thanos.cache.inmemory.requests").tag("name", "caching-bucket").counter().count())
                .as("parsed attributes are kept, not fetched from the cache backend again").isEqualTo(before);
    }

    @Test
    void missingSubrangesAreMergedIntoAtMostMaxRequests() throws Exception {
        Bucket b = bucket("max_chunks_get_range_requests: 2\n");
        // Warm every other sub-range so that a wide read has many holes.
        for (long off = 0; off < 20_000; off += 2000) {
            read(b.getRange(CHUNKS, off, 1000));
        }
        inner.calls.clear();
        assertThat(read(b.getRange(CHUNKS, 0, 20_000))).isEqualTo(slice(data, 0, 20_000));
        assertThat(inner.count("get_range " + CHUNKS)).isLessThanOrEqualTo(2);
    }

    @Test
    void rangePastTheEndIsCut() throws Exception {
        Bucket b = bucket("");
        assertThat(read(b.getRange(CHUNKS, data.length - 10, 100))).isEqualTo(slice(data, data.length - 10, 10));
        assertThat(read(b.getRange(CHUNKS, data.length + 5, 100))).isEmpty();
        assertThat(b.getRangeBytes(CHUNKS, data.length - 10, 100)).isEqualTo(slice(data, data.length - 10, 10));
        assertThat(b.getRangeBytes(CHUNKS, data.length + 5, 100)).isEmpty();
    }

    @Test
    void otherFilesPassThrough() throws Exception {
        Bucket b = bucket("");
        assertThat(b.buffersRanges(CHUNKS)).as("cold chunk ranges are streamed").isFalse();
        assertThat(b.buffersRanges("01HBLOCK/index")).isFalse();
        read(b.getRange("01HBLOCK/index", 0, 100));
        b.getRangeBytes("01HBLOCK/index", 0, 100);
        assertThat(inner.count("get_range 01HBLOCK/index")).isEqualTo(2);
    }

    @Test
    void metaFilesRootListingAndAttributesAreCached() throws Exception {
        Bucket b = bucket("");
        for (int i = 0; i < 3; i++) {
            assertThat(new String(read(b.get("01HBLOCK/meta.json")), StandardCharsets.UTF_8)).contains("ulid");
            assertThat(b.exists("01HBLOCK/meta.json")).isTrue();
            assertThat(b.exists("01HBLOCK/deletion-mark.json")).isFalse();
            assertThatThrownBy(() -> b.get("01HBLOCK/deletion-mark.json")).isInstanceOf(ObjectNotFoundException.class);
            List<String> names = new ArrayList<>();
            b.iter("", names::add);
            assertThat(names).containsExactly("01HBLOCK/");
            assertThat(b.attributes(CHUNKS).size()).isEqualTo(data.length);
        }
        assertThat(inner.count("get 01HBLOCK/meta.json")).isEqualTo(1);
        assertThat(inner.count("exists 01HBLOCK/meta.json")).isZero(); // known to exist from the get
        assertThat(inner.count("exists 01HBLOCK/deletion-mark.json")).isEqualTo(1);
        assertThat(inner.count("get 01HBLOCK/deletion-mark.json")).isZero();
        assertThat(inner.count("iter")).isEqualTo(1);
        assertThat(inner.count("attributes " + CHUNKS)).isEqualTo(1);
        assertThat(registry.counter("thanos.store.bucket.cache.operation.hits", "operation", "get", "config", "metafile").count())
                .isEqualTo(5); // meta.json twice, the deletion mark three times (known missing)
    }

    @Test
    void unknownFieldsAreRejected() {
        assertThatThrownBy(() -> bucket("chunk_subrange_sizes: 1\n")).hasMessageContaining("unknown field chunk_subrange_sizes");
        assertThatThrownBy(() -> CachingBucket.fromYaml("type: GROUPCACHE\n", inner, registry))
                .hasMessageContaining("unsupported type \"GROUPCACHE\"");
    }
}
