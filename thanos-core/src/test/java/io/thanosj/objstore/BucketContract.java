package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Bucket} provider shares, after Thanos's objstore acceptance test.
 * A provider's test extends this and supplies a fresh, empty bucket per test.
 */
abstract class BucketContract {
    protected Bucket bucket;

    /** A new empty bucket; called before each test. */
    protected abstract Bucket newBucket() throws Exception;

    /** How many objects one list page returns at most, so that paging is exercised; 0 if none. */
    protected int listPageSize() {
        return 0;
    }

    /** False only for a fake that pads reads past the end of an object (see TestGcsBucket). */
    protected boolean readsPastEndCorrectly() {
        return true;
    }

    /** Puts an object for a listing test; providers may write around their API to go faster. */
    protected void seed(String name, String content) {
        bucket.upload(name, text(content));
    }

    /** An object size that the provider uploads in several parts (blocks, chunks). */
    protected abstract long multipartSize();

    @BeforeEach
    void openBucket() throws Exception {
        bucket = newBucket();
    }

    @AfterEach
    void closeBucket() {
        if (bucket != null) {
            bucket.close();
        }
    }

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    List<String> list(String dir, boolean recursive) {
        List<String> out = new ArrayList<>();
        bucket.iter(dir, recursive, out::add);
        return out;
    }

    @Test
    void missingObjectIsNotFound() {
        assertThatThrownBy(() -> bucket.get("id1/obj_1.some"))
                .isInstanceOf(ObjectNotFoundException.class)
                .satisfies(e -> assertThat(Bucket.isObjNotFound(e)).isTrue())
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> bucket.getRange("id1/obj_1.some", 1, 3)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> bucket.attributes("id1/obj_1.some")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(bucket.exists("id1/obj_1.some")).isFalse();
        // Deleting what is not there is not an error.
        bucket.delete("id1/obj_1.some");
    }

    @Test
    void emptyNameIsBadDataNotNotFound() {
        assertThatThrownBy(() -> bucket.get(""))
                .isInstanceOf(ThanosException.class)
                .satisfies(e -> assertThat(Bucket.isObjNotFound(e)).isFalse())
                .hasMessageContaining("object name is empty");
    }

    @Test
    void uploadThenReadBackWholeAndRanges() throws IOException {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);
        bucket.upload("id1/obj_1.some", text("@test-data@"));

        assertThat(read(bucket.get("id1/obj_1.some"))).isEqualTo("@test-data@");
        ObjectAttributes a = bucket.attributes("id1/obj_1.some");
        assertThat(a.size()).isEqualTo(11);
        assertThat(a.lastModified()).isAfter(before).isBefore(Instant.now().plusSeconds(60));
        assertThat(bucket.exists("id1/obj_1.some")).isTrue();
        // A directory is not an object.
        assertThat(bucket.exists("id1")).isFalse();

        assertThat(read(bucket.getRange("id1/obj_1.some", 1, 3))).isEqualTo("tes");
        assertThat(read(bucket.getRange("id1/obj_1.some", 0, 1))).isEqualTo("@");
        assertThat(read(bucket.getRange("id1/obj_1.some", 0, -1))).isEqualTo("@test-data@");
        assertThat(read(bucket.getRange("id1/obj_1.some", 1, -1))).isEqualTo("test-data@");
        // The last byte, then ranges reaching and starting past the end.
        assertThat(read(bucket.getRange("id1/obj_1.some", 10, 1))).isEqualTo("@");
        if (readsPastEndCorrectly()) {
            assertThat(read(bucket.getRange("id1/obj_1.some", 3, 9999))).isEqualTo("st-data@");
            assertThat(read(bucket.getRange("id1/obj_1.some", 10, 5))).isEqualTo("@");
            assertThat(read(bucket.getRange("id1/obj_1.some", 11, 5))).isEmpty();
            assertThat(read(bucket.getRange("id1/obj_1.some", 124141, 3))).isEmpty();
        }
        assertThat(read(bucket.getRange("id1/obj_1.some", 2, 0))).isEmpty();
        assertThatThrownBy(() -> bucket.getRange("id1/obj_1.some", -1, 3)).isInstanceOf(ThanosException.class)
                .hasMessageContaining("negative offset");

        assertThat(new String(bucket.getRangeBytes("id1/obj_1.some", 1, 3), StandardCharsets.UTF_8)).isEqualTo("tes");
        assertThat(bucket.getRangeBytes("id1/obj_1.some", 2, 0)).isEmpty();
        if (readsPastEndCorrectly()) {
            assertThat(new String(bucket.getRangeBytes("id1/obj_1.some", 3, 9999), StandardCharsets.UTF_8)).isEqualTo("st-data@");
            assertThat(bucket.getRangeBytes("id1/obj_1.some", 11, 5)).isEmpty();
        }
    }

    @Test
    void uploadReplacesAndIsIdempotent() throws IOException {
        bucket.upload("id1/obj_2.some", text("@test-data2@"));
        bucket.upload("id1/obj_2.some", text("@test-data2@"));
        assertThat(read(bucket.get("id1/obj_2.some"))).isEqualTo("@test-data2@");
        bucket.upload("id1/obj_2.some", text("replaced"));
        assertThat(read(bucket.get("id1/obj_2.some"))).isEqualTo("replaced");
    }

    @Test
    void emptyObject() throws IOException {
        bucket.upload("empty", InputStream.nullInputStream());
        assertThat(bucket.attributes("empty").size()).isZero();
        assertThat(read(bucket.get("empty"))).isEmpty();
        if (readsPastEndCorrectly()) {
            assertThat(read(bucket.getRange("empty", 0, 10))).isEmpty();
        }
    }

    @Test
    void iterDirectoriesAndRecursive() {
        bucket.upload("id1/obj_1.some", text("@test-data@"));
        bucket.upload("id1/obj_2.some", text("@test-data2@"));
        bucket.upload("id1/obj_3.some", text("@test-data3@"));
        bucket.upload("id1/sub/subobj_1.some", text("@test-data4@"));
        bucket.upload("id1/sub/subobj_2.some", text("@test-data5@"));
        bucket.upload("id2/obj_4.some", text("@test-data6@"));
        bucket.upload("obj_5.some", text("@test-data7@"));

        assertThat(list("", false)).containsExactly("id1/", "id2/", "obj_5.some");
        assertThat(list("", true)).containsExactly("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some",
                "id1/sub/subobj_1.some", "id1/sub/subobj_2.some", "id2/obj_4.some", "obj_5.some");
        for (String dir : List.of("id1/", "id1")) {
            assertThat(list(dir, false)).containsExactly("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some", "id1/sub/");
            assertThat(list(dir, true)).containsExactly("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some",
                    "id1/sub/subobj_1.some", "id1/sub/subobj_2.some");
        }
        assertThat(list("id0", false)).isEmpty();
        assertThat(list("id0", true)).isEmpty();

        bucket.delete("id1/obj_2.some");
        assertThat(list("id1/", false)).containsExactly("id1/obj_1.some", "id1/obj_3.some", "id1/sub/");
        bucket.delete("id2/obj_4.some");
        assertThat(list("", false)).containsExactly("id1/", "obj_5.some");
    }

    @Test
    void iterOrderIsByteOrderOfNames() {
        // "a.b" sorts before "a/" (0x2e < 0x2f) although "a" sorts before "a.b" as a file name.
        bucket.upload("a/x", text("1"));
        bucket.upload("a.b", text("2"));
        bucket.upload("B", text("3"));
        bucket.upload("\u00e9", text("4"));
        assertThat(list("", false)).containsExactly("B", "a.b", "a/", "\u00e9");
        assertThat(list("", true)).containsExactly("B", "a.b", "a/x", "\u00e9");
    }

    @Test
    void iterStopsWhenVisitorThrows() {
        bucket.upload("s/1", text("1"));
        bucket.upload("s/2", text("2"));
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> bucket.iter("s", false, n -> {
            seen.add(n);
            throw new IllegalStateException("stop");
        })).isInstanceOf(IllegalStateException.class).hasMessage("stop");
        assertThat(seen).containsExactly("s/1");
    }

    @Test
    void iterPagesThroughManyObjects() {
        int n = listPageSize() > 0 ? listPageSize() + 7 : 40;
        for (int i = 0; i < n; i++) {
            seed(String.format("many/%05d", i), "x");
        }
        bucket.upload("many/sub/a", text("y"));
        List<String> flat = list("many/", false);
        assertThat(flat).hasSize(n + 1);
        assertThat(flat.get(0)).isEqualTo("many/00000");
        assertThat(flat.get(n - 1)).isEqualTo(String.format("many/%05d", n - 1));
        assertThat(flat.get(n)).isEqualTo("many/sub/");
        assertThat(list("many", true)).hasSize(n + 1).endsWith("many/sub/a");
    }

    @Test
    void multipartUploadStreamsAndReadsBack() throws IOException {
        long size = multipartSize();
        bucket.upload("big/object", new PatternStream(size, 42));
        assertThat(bucket.attributes("big/object").size()).isEqualTo(size);
        assertThat(PatternStream.digest(bucket.get("big/object"))).isEqualTo(PatternStream.digest(new PatternStream(size, 42)));
        // A range across a part boundary.
        long off = size / 2 - 100;
        InputStream expected = new PatternStream(size, 42);
        expected.skipNBytes(off);
        assertThat(PatternStream.digest(bucket.getRange("big/object", off, 1000)))
                .isEqualTo(PatternStream.digest(Ranges.limit(expected, 1000)));
        assertThat(PatternStream.digest(bucket.getRange("big/object", size - 1, 1))).endsWith("/1");
        if (readsPastEndCorrectly()) {
            assertThat(read(bucket.getRange("big/object", size, 10))).isEmpty();
        }
    }

    @Test
    void prefixedBucketKeepsObjectsUnderPrefix() throws IOException {
        Bucket p = PrefixedBucket.wrap(bucket, "/tenant-a/");
        p.upload("01ABC/meta.json", text("{}"));
        p.upload("01ABC/chunks/000001", text("c"));
        bucket.upload("other/x", text("o"));

        assertThat(list("", true)).containsExactly("other/x", "tenant-a/01ABC/chunks/000001", "tenant-a/01ABC/meta.json");
        List<String> seen = new ArrayList<>();
        p.iter("", false, seen::add);
        assertThat(seen).containsExactly("01ABC/");
        seen.clear();
        p.iter("01ABC", true, seen::add);
        assertThat(seen).containsExactly("01ABC/chunks/000001", "01ABC/meta.json");
        assertThat(read(p.get("01ABC/meta.json"))).isEqualTo("{}");
        assertThat(read(p.getRange("01ABC/meta.json", 1, 1))).isEqualTo("}");
        assertThat(p.exists("01ABC/meta.json")).isTrue();
        assertThat(p.attributes("01ABC/chunks/000001").size()).isEqualTo(1);
        p.delete("01ABC/meta.json");
        assertThat(bucket.exists("tenant-a/01ABC/meta.json")).isFalse();
        assertThat(PrefixedBucket.wrap(bucket, "//")).isSameAs(bucket);
    }
}
