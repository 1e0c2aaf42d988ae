package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Matcher;
import io.thanosj.model.MatchType;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestBlockMeta {
    private static final String U1 = "00000000010000000000000000";
    private static final String U2 = "00000000020000000000000000";
    private static final String U3 = "00000000030000000000000000";
    private static final String U5 = "00000000050000000000000000";

    /** Thanos's own golden output (pkg/block/metadata/meta_test.go, "real write/read/write"). */
    private static final String THANOS_GOLDEN = """
            {
            \t"ulid": "00000000050000000000000000",
            \t"minTime": 2424,
            \t"maxTime": 134,
            \t"stats": {
            \t\t"numSamples": 245,
            \t\t"numSeries": 4,
            \t\t"numChunks": 14
            \t},
            \t"compaction": {
            \t\t"level": 123,
            \t\t"sources": [
            \t\t\t"00000000010000000000000000",
            \t\t\t"00000000020000000000000000"
            \t\t],
            \t\t"parents": [
            \t\t\t{
            \t\t\t\t"ulid": "00000000030000000000000000",
            \t\t\t\t"minTime": 442,
            \t\t\t\t"maxTime": 24225
            \t\t\t}
            \t\t]
            \t},
            \t"version": 1,
            \t"thanos": {
            \t\t"version": 1,
            \t\t"labels": {
            \t\t\t"ext": "lset1"
            \t\t},
            \t\t"downsample": {
            \t\t\t"resolution": 123144
            \t\t},
            \t\t"source": "receive",
            \t\t"files": [
            \t\t\t{
            \t\t\t\t"rel_path": "chunks/000001",
            \t\t\t\t"size_bytes": 3751
            \t\t\t},
            \t\t\t{
            \t\t\t\t"rel_path": "index",
            \t\t\t\t"size_bytes": 401
            \t\t\t},
            \t\t\t{
            \t\t\t\t"rel_path": "meta.json"
            \t\t\t}
            \t\t],
            \t\t"index_stats": {
            \t\t\t"series_max_size": 2000,
            \t\t\t"chunk_max_size": 1000
            \t\t},
            \t\t"upload_time": "0001-01-01T00:00:00Z"
            \t}
            }
            """;

    private static BlockMeta golden() {
        BlockMeta.Thanos t = new BlockMeta.Thanos(1, Map.of("ext", "lset1"), 123144, "receive", List.of(),
                List.of(new BlockMeta.File("chunks/000001", 3751), new BlockMeta.File("index", 401),
                        new BlockMeta.File("meta.json", 0)),
                List.of(), new BlockMeta.IndexStats(2000, 1000), null, "0001-01-01T00:00:00Z");
        return new BlockMeta(U5, 2424, 134, new BlockMeta.Stats(245, 4, 14, 0),
                new BlockMeta.Compaction(123, List.of(U1, U2), List.of(new BlockMeta.BlockDesc(U3, 442, 24225)),
                        false, false, List.of()),
                1, t);
    }

    @Test
    void writesExactlyAsThanos() {
        assertThat(new String(golden().toJson(), StandardCharsets.UTF_8)).isEqualTo(THANOS_GOLDEN);
    }

    @Test
    void readsThanosOutputBack() {
        BlockMeta m = BlockMeta.read(THANOS_GOLDEN.getBytes(StandardCharsets.UTF_8), "x");
        assertThat(m).isEqualTo(golden());
    }

    @Test
    void readsPrometheusMetaWithoutThanosSectionAndIgnoresUnknownFields() {
        String json = """
                {"ulid":"01h0000000000000000000000a","minTime":1,"maxTime":2,
                 "stats":{"numSamples":3,"numFloatSamples":3},
                 "compaction":{"level":1,"sources":["01H0000000000000000000000A"],"hints":["from-out-of-order"]},
                 "version":1,"someFutureField":{"x":[1,2]}}
                """;
        BlockMeta m = BlockMeta.read(json.getBytes(StandardCharsets.UTF_8), "dir");
        assertThat(m.ulid()).isEqualTo("01H0000000000000000000000A");
        assertThat(m.stats().numSamples()).isEqualTo(3);
        assertThat(m.compaction().hints()).containsExactly("from-out-of-order");
        assertThat(m.thanos()).isEqualTo(BlockMeta.Thanos.EMPTY);
        assertThat(m.thanos().labels()).isEmpty();
    }

    @Test
    void roundTripsRewritesExtensionsAndHashes() {
        BlockMeta.DeletionRequest del = new BlockMeta.DeletionRequest(
                List.of(Matcher.equal("job", "a\"b"), Matcher.of(MatchType.NOT_REGEX, "inst", "x.*")),
                List.of(new Interval(1, 5), new Interval(Long.MIN_VALUE, Long.MAX_VALUE)), "req-1");
        BlockMeta.Thanos t = BlockMeta.Thanos.of(Map.of("b", "ünï", "a", "1"), 300_000, "compactor")
                .withFiles(List.of(new BlockMeta.File("index", 10, new BlockMeta.ObjectHash("SHA256", "abcd"))))
                .withRewrites(List.of(new BlockMeta.Rewrite(List.of(U1), List.of(del), null)));
        BlockMeta m = BlockMeta.newBlock(U2, -5, 10, new BlockMeta.Stats(1, 1, 1, 1)).withThanos(t);
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"Type\": 3", "\"Mint\": -9223372036854775808", "\"labels\": {\n\t\t\t\"a\": \"1\"");
        BlockMeta back = BlockMeta.read(new ByteArrayInputStream(m.toJson()), "x");
        assertThat(back).isEqualTo(m);
        assertThat(back.thanos().externalLabels().get("b")).isEqualTo("ünï");
    }

    @Test
    void writesAtomicallyToDir(@TempDir Path dir) throws Exception {
        BlockMeta m = golden();
        Files.writeString(dir.resolve("meta.json"), "old");
        m.writeToDir(dir);
        assertThat(Files.exists(dir.resolve("meta.json.tmp"))).isFalse();
        assertThat(BlockMeta.readFromDir(dir)).isEqualTo(m);
    }

    @Test
    void badInputNamesBlockAndField() {
        assertBad("{\"ulid\":\"" + U1 + "\",\"minTime\":\"12\",\"version\":1}",
                "read meta.json of block 00000000010000000000000000: field \"minTime\": expected a 64-bit integer, got string \"12\"");
        assertBad("{\"ulid\":\"" + U1 + "\",\"stats\":{\"numSeries\":-1},\"version\":1}", "field \"stats.numSeries\"");
        assertBad("{\"ulid\":\"" + U1 + "\",\"compaction\":{\"sources\":[\"nope\"]},\"version\":1}",
                "field \"compaction.sources[0]\": \"nope\" is not a valid ULID");
        assertBad("{\"ulid\":\"" + U1 + "\",\"version\":2}", "unexpected meta file version 2");
        assertBad("{\"ulid\":\"" + U1 + "\",\"version\":1,\"thanos\":{\"version\":7}}", "Thanos section version 7");
        assertBad("{\"ulid\":\"" + U1 + "\",\"version\":1,\"thanos\":{\"labels\":{\"a\":1}}}", "field \"thanos.labels.a\"");
        assertBad("{\"ulid\":\"" + U1 + "\",\"version\":1,\"thanos\":{\"files\":[{\"rel_path\":3}]}}",
                "field \"thanos.files[0].rel_path\"");
        assertBad("{\"ulid\": \"" + U1 + "\", \"minTime\": 1,", "read meta.json of block blk-dir: malformed JSON at line 1");
        assertBad("", "read meta.json of block blk-dir: empty file");
        assertBad("[1]", "expected a JSON object");
        assertBad("{\"minTime\":1}", "field \"ulid\": missing");
        assertBad("{\"ulid\":\"" + U1 + "\",\"maxTime\":1e400,\"version\":1}", "field \"maxTime\"");
    }

    @Test
    void missingDirIsNotFound(@TempDir Path dir) {
        assertThatThrownBy(() -> BlockMeta.readFromDir(dir.resolve("01ABC")))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining("read meta.json of block 01ABC")
                .extracting(e -> ((ThanosException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    private static void assertBad(String json, String message) {
        assertThatThrownBy(() -> BlockMeta.read(json.getBytes(StandardCharsets.UTF_8), "blk-dir"))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining(message);
    }
}
