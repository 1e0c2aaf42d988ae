package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.cache.RecordingBucket;
import io.thanosj.model.Labels;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.bucket.BucketBlocks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestMetaFetcher {
    static final long H = 3_600_000L;
    static final long NOW = 1_700_000_000_000L;
    @TempDir
    Path tmp;
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final RecordingBucket bkt = new RecordingBucket();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    String block(long mint, long maxt, Map<String, String> ext) throws Exception {
        return BlockFixtures.upload(bkt, tmp, List.of(Labels.of("__name__", "m")), mint, maxt, 60_000, ext, 0)
                .getFileName().toString();
    }

    @Test
    void partialCorruptedAndFilteredBlocksAreSkippedAndCounted() throws Exception {
        String old = block(0, 2 * H, Map.of("shard", "0"));
        String recent = block(NOW - 4 * H, NOW - 2 * H, Map.of("shard", "1"));
        String marked = block(NOW - 2 * H, NOW - H, Map.of("shard", "1"));
        String markedRecently = block(NOW - 2 * H, NOW - H, Map.of("shard", "0"));
        String partial = BlockMeta.newUlid();
        bkt.put(partial + "/index", new byte[10]);
        String corrupt = BlockMeta.newUlid();
        bkt.put(corrupt + "/meta.json", "{not json".getBytes(StandardCharsets.UTF_8));
        bkt.put("not-a-block/file", new byte[1]);
        BucketBlocks.markForDeletion(bkt, marked, "test", Instant.ofEpochMilli(NOW - 3 * H));
        BucketBlocks.markForDeletion(bkt, markedRecently, "test", Instant.ofEpochMilli(NOW - H / 2));

        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        MetaFetcher f = new MetaFetcher(bkt, tmp.resolve("meta"), List.of(
                MetaFilters.timePartition(TimeOrDuration.parse("--min-time", "-1w"), TimeOrDuration.MAX, () -> NOW),
                MetaFilters.ignoreDeletionMarks(bkt, H, () -> NOW, pool),
                MetaFilters.deduplicate()), pool, reg);
        MetaFetcher.Result r = f.fetch();
        assertThat(r.metas().keySet()).containsExactlyInAnyOrder(recent, markedRecently);
        assertThat(r.partial().keySet()).containsExactlyInAnyOrder(partial, corrupt);
        assertThat(r.complete()).isTrue();
        assertThat(f.synced(MetaFetcher.LOADED)).isEqualTo(2);
        assertThat(f.synced(MetaFetcher.NO_META)).isEqualTo(1);
        assertThat(f.synced(MetaFetcher.CORRUPTED)).isEqualTo(1);
        assertThat(f.synced(MetaFilters.TIME_EXCLUDED)).isEqualTo(1);
        assertThat(f.synced(MetaFilters.MARKED_FOR_DELETION)).isEqualTo(1);
        assertThat(reg.get("thanos.blocks.meta.synced").tag("state", "loaded").gauge().value()).isEqualTo(2.0);
        assertThat(reg.counter("thanos.blocks.meta.syncs").count()).isEqualTo(1);
        assertThat(old).isNotNull();

        // A second fetcher on the same cache dir reads no meta.json from the bucket.
        bkt.calls.clear();
        MetaFetcher again = new MetaFetcher(bkt, tmp.resolve("meta"), List.of(), pool, new SimpleMeterRegistry());
        assertThat(again.fetch().metas()).hasSize(4);
        assertThat(bkt.calls).noneMatch(c -> c.startsWith("get ") && c.endsWith("/meta.json") && !c.contains(corrupt));
    }

    @Test
    void labelShardingSplitsBlocksBetweenStores() throws Exception {
        for (int i = 0; i < 12; i++) {
            block(i * H, (i + 1) * H, Map.of("cluster", "c" + i));
        }
        int total = 0;
        for (int shard = 0; shard < 3; shard++) {
            RelabelConfig rc = RelabelConfig.parse("cfg", "- action: hashmod\n  source_labels: [cluster]\n  modulus: 3\n"
                    + "  target_label: shard\n- action: keep\n  source_labels: [shard]\n  regex: \"" + shard + "\"\n");
            MetaFetcher f = new MetaFetcher(bkt, null, List.of(MetaFilters.labelSharded(rc)), pool, new SimpleMeterRegistry());
            int n = f.fetch().metas().size();
            assertThat(f.synced(MetaFilters.LABEL_EXCLUDED)).isEqualTo(12 - n);
            total += n;
        }
        assertThat(total).isEqualTo(12);
    }

    @Test
    void duplicatesCoveredByACompactedBlockAreDropped() throws Exception {
        String a = block(0, H, Map.of("c", "1"));
        String b = block(H, 2 * H, Map.of("c", "1"));
        String compacted = BlockMeta.newUlid();
        BlockMeta m = BlockMeta.newBlock(compacted, 0, 2 * H, BlockMeta.Stats.EMPTY)
                .withCompaction(new BlockMeta.Compaction(2, List.of(a, b), List.of(), false, false, List.of()))
                .withThanos(BlockMeta.Thanos.of(Map.of("c", "1"), 0, "compactor"));
        bkt.put(compacted + "/meta.json", m.toJson());
        MetaFetcher f = new MetaFetcher(bkt, null, List.of(MetaFilters.deduplicate()), pool, new SimpleMeterRegistry());
        assertThat(f.fetch().metas().keySet()).containsExactly(compacted);
        assertThat(f.synced(MetaFilters.DUPLICATE)).isEqualTo(2);
    }

    @Test
    void timeOrDurationParsesBothForms() {
        assertThat(TimeOrDuration.parse("f", "2019-01-01T00:00:00Z").millis(0)).isEqualTo(1_546_300_800_000L);
        assertThat(TimeOrDuration.parse("f", "-2w").millis(NOW)).isEqualTo(NOW - 14 * 24 * H);
        assertThat(TimeOrDuration.parse("f", "2h45m").millis(NOW)).isEqualTo(NOW + 2 * H + 45 * 60_000L);
        assertThat(TimeOrDuration.MIN.millis(NOW)).isLessThan(0);
        assertThatThrownBy(() -> TimeOrDuration.parse("--min-time", "yesterday"))
                .hasMessageContaining("invalid --min-time \"yesterday\"");
    }
}
