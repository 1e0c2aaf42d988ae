package io.thanosj.tsdb.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockSeriesSet;
import io.thanosj.tsdb.block.BlockWriter;
import io.thanosj.tsdb.block.Interval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestBucketTools {
    static Bucket bucket(Path dir) {
        return BucketFactory.create("type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n", new SimpleMeterRegistry());
    }

    static BlockMeta block(Path dir, Map<String, String> ext, long from, int series, Long maxTime) {
        try (BlockWriter w = new BlockWriter(dir)) {
            w.thanos(BlockMeta.Thanos.of(ext, 0, "sidecar"));
            if (maxTime != null) {
                w.timeRange(from, maxTime);
            }
            for (int s = 0; s < series; s++) {
                long[] t = new long[100];
                double[] v = new double[100];
                for (int i = 0; i < t.length; i++) {
                    t[i] = from + i * 1000L;
                    v[i] = s * 1000 + i;
                }
                w.addSeries(Labels.of("__name__", "m", "job", "j" + s), t, v, t.length);
            }
            return w.finish();
        }
    }

    @Test
    void uploadListDownloadAndMarkForDeletion(@TempDir Path tmp) throws Exception {
        Bucket bkt = bucket(tmp.resolve("bkt"));
        BlockMeta m = block(tmp.resolve("local"), Map.of("replica", "a"), 0, 3, null);
        BucketBlocks.upload(bkt, tmp.resolve("local").resolve(m.ulid()), false);
        assertThat(BucketBlocks.list(bkt)).containsExactly(m.ulid());
        assertThat(bkt.exists(m.ulid() + "/tombstones")).isFalse();
        BlockMeta remote = BucketBlocks.readMeta(bkt, m.ulid());
        assertThat(remote.thanos().files()).extracting(BlockMeta.File::relPath).containsExactly("chunks/000001", "index", "meta.json");
        Path dl = BucketBlocks.download(bkt, m.ulid(), tmp.resolve("dl").resolve(m.ulid()));
        try (Block b = Block.open(dl)) {
            assertThat(b.meta().stats().numSeries()).isEqualTo(3);
        }
        BucketBlocks.markForDeletion(bkt, m.ulid(), "test", Instant.ofEpochSecond(1700000000));
        assertThat(new String(bkt.get(m.ulid() + "/deletion-mark.json").readAllBytes()))
                .contains("\"id\": \"" + m.ulid() + "\"", "\"deletion_time\": 1700000000", "\"version\": 1");
        BucketBlocks.delete(bkt, m.ulid());
        assertThat(BucketBlocks.list(bkt)).isEmpty();
        BlockMeta prom = block(tmp.resolve("local2"), Map.of(), 0, 1, null);
        assertThatThrownBy(() -> BucketBlocks.upload(bkt, tmp.resolve("local2").resolve(prom.ulid()), false))
                .isInstanceOf(ThanosException.class).hasMessageContaining("empty external labels");
    }

    @Test
    void verifyFindsOverlapsAndIndexIssues(@TempDir Path tmp) {
        Bucket bkt = bucket(tmp.resolve("bkt"));
        Path local = tmp.resolve("local");
        BlockMeta a = block(local, Map.of("replica", "a"), 0, 2, null);
        BlockMeta b = block(local, Map.of("replica", "a"), 50_000, 2, null);        // overlaps a
        BlockMeta c = block(local, Map.of("replica", "b"), 50_000, 2, null);        // other group
        BlockMeta d = block(local, Map.of("replica", "c"), 0, 2, 50_000L);          // chunks outside its range
        for (BlockMeta m : List.of(a, b, c, d)) {
            BucketBlocks.upload(bkt, local.resolve(m.ulid()), false);
        }
        List<BucketVerifier.Finding> f = BucketVerifier.verify(bkt, BucketVerifier.ISSUES, Set.of(), tmp.resolve("verify"));
        assertThat(f).hasSize(4);
        assertThat(f.get(0).issue()).isEqualTo(BucketVerifier.OVERLAPPED_BLOCKS);
        assertThat(f.get(0).blocks()).containsExactlyInAnyOrder(a.ulid(), b.ulid());
        assertThat(f.get(1).issue()).isEqualTo(BucketVerifier.INDEX_KNOWN_ISSUES);
        assertThat(f.get(1).blocks()).containsExactly(d.ulid());
        assertThat(f.get(1).message()).isEqualTo("found 2 chunks non-completely outside the block time range");
        // Then each problem with its series.
        assertThat(f.subList(2, 4)).extracting(x -> x.series().get("job")).containsExactly("j0", "j1");
        assertThat(f.get(2).message()).isEqualTo("chunk 1 of 1 [0, 99000]: outside the block time range [0, 50000)");
        assertThatThrownBy(() -> BucketVerifier.verify(bkt, BucketVerifier.ISSUES, Set.of("01HQAAAAAAAAAAAAAAAAAAAAAA"), tmp))
                .isInstanceOf(ThanosException.class).hasMessageContaining("block 01HQAAAAAAAAAAAAAAAAAAAAAA not found");
        BucketBlocks.markForDeletion(bkt, b.ulid(), "x", Instant.now());
        assertThat(BucketVerifier.verify(bkt, Set.of(BucketVerifier.OVERLAPPED_BLOCKS), Set.of(), tmp.resolve("v"))).isEmpty();
        assertThatThrownBy(() -> BucketVerifier.verify(bkt, Set.of("nope"), Set.of(), tmp))
                .isInstanceOf(ThanosException.class).hasMessageContaining("unknown issue nope");
    }

    @Test
    void rewriteDeletesSeriesAndIntervals(@TempDir Path tmp) throws Exception {
        Bucket bkt = bucket(tmp.resolve("bkt"));
        Path local = tmp.resolve("local");
        BlockMeta src = block(local, Map.of("replica", "a"), 0, 3, null);
        BucketBlocks.upload(bkt, local.resolve(src.ulid()), false);
        String yaml = """
                - matchers: 'job="j0"'
                  request_id: drop-j0
                - matchers: 'job="j1"'
                  intervals:
                  - mint: 10000
                    maxt: 19999
                """;
        List<BlockMeta.DeletionRequest> dels = DeletionRequests.parseYaml(yaml,
                sel -> {
                    String[] kv = sel.split("=");
                    return List.of(Matcher.of(MatchType.EQUAL, kv[0], kv[1].replace("\"", "")));
                });
        assertThat(dels).hasSize(2);
        assertThat(dels.get(1).intervals()).containsExactly(new Interval(10_000, 19_999));

        List<BucketRewriter.Outcome> dry = BucketRewriter.rewrite(bkt, List.of(src.ulid()), dels, tmp.resolve("work"), true, true, false);
        assertThat(dry.get(0).newId()).isNull();
        assertThat(dry.get(0).result().seriesDeleted()).isEqualTo(1);
        assertThat(dry.get(0).result().samplesDeleted()).isEqualTo(100 + 10);
        assertThat(dry.get(0).result().changeLog()).hasSize(2);
        assertThat(BucketBlocks.list(bkt)).containsExactly(src.ulid());

        List<BucketRewriter.Outcome> out = BucketRewriter.rewrite(bkt, List.of(src.ulid()), dels, tmp.resolve("work"), false, true, false);
        String newId = out.get(0).newId();
        assertThat(BucketBlocks.list(bkt)).containsExactlyInAnyOrder(src.ulid(), newId);
        assertThat(BucketBlocks.isMarkedForDeletion(bkt, src.ulid())).isTrue();
        BlockMeta nm = BucketBlocks.readMeta(bkt, newId);
        assertThat(nm.thanos().source()).isEqualTo("bucket.rewrite");
        assertThat(nm.compaction().sources()).containsExactly(newId);
        assertThat(nm.thanos().rewrites()).hasSize(1);
        assertThat(nm.thanos().rewrites().get(0).sources()).containsExactly(src.ulid());
        assertThat(nm.thanos().rewrites().get(0).deletionsApplied()).isEqualTo(dels);
        assertThat(nm.minTime()).isEqualTo(src.minTime());
        assertThat(nm.maxTime()).isEqualTo(src.maxTime());
        assertThat(nm.stats().numSamples()).isEqualTo(300 - 110);
        Path dl = BucketBlocks.download(bkt, newId, tmp.resolve("dl").resolve(newId));
        TreeMap<String, Integer> counts = new TreeMap<>();
        try (Block b = Block.open(dl)) {
            BlockSeriesSet s = b.all();
            while (s.next()) {
                int n = 0;
                SampleIterator it = s.samples();
                while (it.next()) {
                    assertThat(it.t() >= 10_000 && it.t() <= 19_999 && s.labels().get("job").equals("j1")).isFalse();
                    n++;
                }
                counts.put(s.labels().get("job"), n);
            }
        }
        assertThat(counts).containsExactly(Map.entry("j1", 90), Map.entry("j2", 100));
        assertThat(Files.exists(tmp.resolve("work").resolve("rewrite-" + src.ulid()))).isFalse();
    }

    @Test
    void deletionYamlErrorsAreClear() {
        assertThatThrownBy(() -> DeletionRequests.parseYaml("- matcher: x", s -> List.of()))
                .isInstanceOf(ThanosException.class).hasMessageContaining("request 0: field matcher not found");
        assertThatThrownBy(() -> DeletionRequests.parseYaml("- matchers: 'a=\"b\"'\n  intervals: [{mint: 1}]", s -> List.of()))
                .isInstanceOf(ThanosException.class).hasMessageContaining("field intervals");
        assertThatThrownBy(() -> DeletionRequests.parseYaml("{a: b}", s -> List.of()))
                .isInstanceOf(ThanosException.class).hasMessageContaining("expected a list");
    }
}
