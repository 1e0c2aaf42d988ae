package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.chunk.XorChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestBlocks {
    static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    /** Samples keyed by series: t -> raw value bits. */
    static TreeMap<Labels, TreeMap<Long, Long>> data(int series, long from, int samples, long step, int salt) {
        TreeMap<Labels, TreeMap<Long, Long>> m = new TreeMap<>();
        for (int s = 0; s < series; s++) {
            Labels l = Labels.of("__name__", s % 2 == 0 ? "up" : "http_requests_total", "instance", "host-" + s,
                    "job", s % 3 == 0 ? "api" : "db", "uni", "v\u00e4lue-\uD83D\uDE00-" + (s % 4));
            TreeMap<Long, Long> pts = new TreeMap<>();
            for (int i = 0; i < samples; i++) {
                double v = switch ((i + salt) % 9) {
                    case 0 -> STALE;
                    case 1 -> Double.POSITIVE_INFINITY;
                    case 2 -> -0.0;
                    case 3 -> Double.MIN_VALUE;
                    case 4 -> Double.NaN;
                    default -> i * 1.5 + s;
                };
                pts.put(from + i * step + (i > samples / 2 ? 3600_000 : 0), Double.doubleToRawLongBits(v));
            }
            m.put(l, pts);
        }
        return m;
    }

    static BlockMeta write(Path dir, TreeMap<Labels, TreeMap<Long, Long>> d) {
        try (BlockWriter w = new BlockWriter(dir)) {
            for (Map.Entry<Labels, TreeMap<Long, Long>> e : d.entrySet()) {
                long[] ts = new long[e.getValue().size()];
                double[] vs = new double[ts.length];
                int i = 0;
                for (Map.Entry<Long, Long> p : e.getValue().entrySet()) {
                    ts[i] = p.getKey();
                    vs[i++] = Double.longBitsToDouble(p.getValue());
                }
                w.addSeries(e.getKey(), ts, vs, ts.length);
            }
            return w.finish();
        }
    }

    static TreeMap<Labels, TreeMap<Long, Long>> read(BlockSeriesSet s) {
        TreeMap<Labels, TreeMap<Long, Long>> m = new TreeMap<>();
        while (s.next()) {
            TreeMap<Long, Long> pts = new TreeMap<>();
            SampleIterator it = s.samples();
            while (it.next()) {
                pts.put(it.t(), Double.doubleToRawLongBits(it.v()));
            }
            if (!pts.isEmpty()) {
                m.put(s.labels(), pts);
            }
        }
        return m;
    }

    @Test
    void writesAndReadsBackEverySample(@TempDir Path dir) throws Exception {
        TreeMap<Labels, TreeMap<Long, Long>> d = data(20, 1_000_000, 300, 15_000, 0);
        BlockMeta meta = write(dir, d);
        assertThat(meta.stats().numSeries()).isEqualTo(20);
        assertThat(meta.stats().numSamples()).isEqualTo(20 * 300);
        assertThat(meta.stats().numChunks()).isEqualTo(20 * 3);
        assertThat(meta.minTime()).isEqualTo(1_000_000);
        assertThat(meta.maxTime()).isEqualTo(d.firstEntry().getValue().lastKey() + 1);
        Path bdir = dir.resolve(meta.ulid());
        assertThat(bdir.resolve("index")).exists();
        assertThat(bdir.resolve("chunks/000001")).exists();
        assertThat(Files.size(bdir.resolve("tombstones"))).isEqualTo(9);
        assertThat(Files.list(dir).count()).isEqualTo(1); // temporary directory is gone
        try (Block b = Block.open(bdir)) {
            assertThat(b.meta()).isEqualTo(meta);
            assertThat(read(b.all())).isEqualTo(d);
            // Range and matcher restrictions.
            TreeMap<Labels, TreeMap<Long, Long>> want = new TreeMap<>();
            d.forEach((l, pts) -> {
                if (l.get("job").equals("api")) {
                    TreeMap<Long, Long> sub = new TreeMap<>(pts.subMap(1_500_000L, true, 2_000_000L, true));
                    if (!sub.isEmpty()) {
                        want.put(l, sub);
                    }
                }
            });
            assertThat(read(b.select(1_500_000, 2_000_000, Matcher.equal("job", "api")))).isEqualTo(want);
            assertThat(read(b.select(0, Long.MAX_VALUE, Matcher.of(MatchType.REGEX, "uni", "v\u00e4lue-.*-1"))))
                    .hasSize(5);
        }
    }

    @Test
    void thanosSectionGetsFileList(@TempDir Path dir) {
        BlockMeta.Thanos t = BlockMeta.Thanos.of(Map.of("replica", "a"), 0, "sidecar");
        BlockMeta meta;
        try (BlockWriter w = new BlockWriter(dir)) {
            w.thanos(t);
            w.addSeries(Labels.of("a", "b"), new long[] {1, 2}, new double[] {1, 2}, 2);
            meta = w.finish();
        }
        assertThat(meta.thanos().files()).extracting(BlockMeta.File::relPath)
                .containsExactly("chunks/000001", "index", "meta.json");
        assertThat(BlockMeta.readFromDir(dir.resolve(meta.ulid()))).isEqualTo(meta);
    }

    @Test
    void tombstonesAreAppliedOnRead(@TempDir Path dir) {
        TreeMap<Labels, TreeMap<Long, Long>> d = data(3, 0, 200, 1000, 5);
        BlockMeta meta = write(dir, d);
        Path bdir = dir.resolve(meta.ulid());
        Tombstones ts = Tombstones.empty();
        long ref0;
        long ref2;
        try (Block b = Block.open(bdir)) {
            BlockSeriesSet s = b.all();
            s.next();
            ref0 = s.ref();
            s.next();
            s.next();
            ref2 = s.ref();
        }
        ts.add(ref0, new Interval(10_000, 20_000));
        ts.add(ref0, new Interval(20_001, 30_000)); // adjacent: merged
        ts.add(ref2, new Interval(Long.MIN_VALUE, Long.MAX_VALUE));
        assertThat(ts.intervals(ref0)).containsExactly(new Interval(10_000, 30_000));
        ts.writeToDir(bdir);
        assertThat(Tombstones.readFromDir(bdir, "b").asMap()).isEqualTo(ts.asMap());
        List<Labels> keys = new ArrayList<>(d.keySet());
        TreeMap<Labels, TreeMap<Long, Long>> want = new TreeMap<>(d);
        want.put(keys.get(0), new TreeMap<>(d.get(keys.get(0))));
        want.get(keys.get(0)).subMap(10_000L, true, 30_000L, true).clear();
        want.remove(keys.get(2));
        try (Block b = Block.open(bdir)) {
            assertThat(read(b.all())).isEqualTo(want);
            BlockSeriesSet s = b.all();
            s.next();
            XorChunk c = s.chunk(0);
            assertThat(c.numSamples()).isEqualTo(120 - 21);
        }
    }

    @Test
    void mergesBlocksIncludingOverlapsAndDeduplicates(@TempDir Path dir) throws Exception {
        TreeMap<Labels, TreeMap<Long, Long>> a = data(6, 0, 250, 10_000, 0);
        TreeMap<Labels, TreeMap<Long, Long>> b = data(8, 5_000_000, 100, 10_000, 1);      // later, disjoint
        TreeMap<Labels, TreeMap<Long, Long>> c = data(4, 1_000_000, 150, 10_000, 0);      // overlaps a, same values
        TreeMap<Labels, TreeMap<Long, Long>> want = new TreeMap<>();
        for (TreeMap<Labels, TreeMap<Long, Long>> m : List.of(c, b, a)) {
            m.forEach((l, pts) -> want.computeIfAbsent(l, k -> new TreeMap<>()).putAll(pts));
        }
        // Where a and c overlap in time, a (earliest start) wins conflicts: reapply a last.
        a.forEach((l, pts) -> want.get(l).putAll(pts));
        BlockMeta ma = write(dir, a);
        BlockMeta mb = write(dir, b);
        BlockMeta mc = write(dir, c);
        List<Block> blocks = new ArrayList<>();
        for (BlockMeta m : List.of(mc, ma, mb)) {
            blocks.add(Block.open(dir.resolve(m.ulid())));
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        BlockMeta merged = BlockMerger.merge(blocks, out, null);
        blocks.forEach(Block::close);
        assertThat(merged.compaction().level()).isEqualTo(2);
        assertThat(merged.compaction().sources()).containsExactlyInAnyOrder(ma.ulid(), mb.ulid(), mc.ulid());
        assertThat(merged.compaction().parents()).hasSize(3);
        assertThat(merged.minTime()).isEqualTo(0);
        assertThat(merged.maxTime()).isEqualTo(mb.maxTime());
        try (Block m = Block.open(out.resolve(merged.ulid()))) {
            assertThat(read(m.all())).isEqualTo(want);
            long samples = want.values().stream().mapToLong(TreeMap::size).sum();
            assertThat(merged.stats().numSamples()).isEqualTo(samples);
        }
    }

    @Test
    void nonOverlappingChunksAreCopiedUnchanged(@TempDir Path dir) throws Exception {
        BlockMeta m1 = write(dir, data(2, 0, 120, 1000, 0));
        BlockMeta m2 = write(dir, data(2, 10_000_000, 120, 1000, 0));
        List<XorChunk> before = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (BlockMeta m : List.of(m1, m2)) {
            Block b = Block.open(dir.resolve(m.ulid()));
            blocks.add(b);
        }
        for (Block b : blocks) {
            BlockSeriesSet s = b.all();
            while (s.next()) {
                before.add(s.chunk(0));
            }
        }
        Path out = dir.resolve("out");
        BlockMeta merged = BlockMerger.merge(blocks, out, BlockMeta.Thanos.of(Map.of("x", "y"), 0, "compactor"));
        blocks.forEach(Block::close);
        List<XorChunk> after = new ArrayList<>();
        try (Block b = Block.open(out.resolve(merged.ulid()))) {
            BlockSeriesSet s = b.all();
            while (s.next()) {
                for (int i = 0; i < s.chunkMetas().size(); i++) {
                    after.add(s.chunk(i));
                }
            }
        }
        assertThat(after).containsExactlyInAnyOrderElementsOf(before);
        assertThat(merged.thanos().labels()).containsEntry("x", "y");
    }

    @Test
    void writerRejectsUnsortedInputAndCleansUp(@TempDir Path dir) throws Exception {
        BlockWriter w = new BlockWriter(dir);
        w.addSeries(Labels.of("a", "2"), new long[] {1}, new double[] {1}, 1);
        assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1"), new long[] {1}, new double[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label order");
        assertThatThrownBy(() -> w.addSeries(Labels.of("a", "3"), new long[] {5, 5}, new double[] {1, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must increase");
        w.close();
        assertThat(Files.list(dir).count()).isZero();
    }

    @Test
    void emptyBlockIsDeletable(@TempDir Path dir) {
        BlockMeta m;
        try (BlockWriter w = new BlockWriter(dir)) {
            m = w.finish();
        }
        assertThat(m.compaction().deletable()).isTrue();
        try (Block b = Block.open(dir.resolve(m.ulid()))) {
            assertThat(b.all().next()).isFalse();
        }
    }

    @Test
    void missingOrCorruptFilesNameTheBlock(@TempDir Path dir) throws Exception {
        BlockMeta m = write(dir, data(2, 0, 10, 1000, 0));
        Path bdir = dir.resolve(m.ulid());
        Files.write(bdir.resolve("tombstones"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThatThrownBy(() -> Block.open(bdir)).isInstanceOf(ThanosException.class)
                .hasMessageContaining("read " + m.ulid() + "/tombstones: invalid magic number");
        Files.delete(bdir.resolve("index"));
        assertThatThrownBy(() -> Block.open(bdir)).isInstanceOf(ThanosException.class)
                .hasMessageContaining(m.ulid() + "/index");
    }

}
