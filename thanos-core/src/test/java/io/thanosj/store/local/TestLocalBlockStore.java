package io.thanosj.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.SeriesSets;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockSeriesSet;
import io.thanosj.tsdb.block.Interval;
import io.thanosj.tsdb.block.Tombstones;
import io.thanosj.tsdb.chunk.ChunkLocation;
import io.thanosj.tsdb.chunk.XorChunk;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import io.thanosj.tsdb.block.BlockWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestLocalBlockStore {
    @TempDir
    Path dir;

    private Block write(Labels... series) throws Exception {
        long[] ts = new long[240];
        double[] vs = new double[240];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = i * 15_000L;
            vs[i] = i;
        }
        BlockMeta meta;
        try (BlockWriter w = new BlockWriter(dir)) {
            for (Labels l : series) {
                w.addSeries(l, ts, vs, ts.length);
            }
            meta = w.finish();
        }
        return Block.open(dir.resolve(meta.ulid()));
    }

    private static SeriesRequest request(long mint, long maxt, String... without) {
        return SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt)
                .addAllMatchers(Requests.toProto(List.of(Matcher.equal("__name__", "m"))))
                .addAllWithoutReplicaLabels(List.of(without)).build();
    }

    private static List<Labels> labels(List<SeriesSets.Entry> es) {
        List<Labels> out = new ArrayList<>();
        es.forEach(e -> out.add(e.labels()));
        return out;
    }

    @Test
    void streamsInOrderAndKeepsOnlyChunksOverlappingTheRange() throws Exception {
        try (Block b = write(Labels.of("__name__", "m", "a", "1"), Labels.of("__name__", "m", "a", "2"))) {
            LocalBlockStore s = new LocalBlockStore(b, Labels.of("zone", "eu"));
            List<SeriesSets.Entry> all = SeriesSets.drain(s.series(request(0, Long.MAX_VALUE)));
            assertThat(labels(all)).containsExactly(Labels.of("__name__", "m", "a", "1", "zone", "eu"),
                    Labels.of("__name__", "m", "a", "2", "zone", "eu"));
            assertThat(all.get(0).chunks()).hasSize(2); // 240 samples: two chunks of 120
            List<SeriesSets.Entry> last = SeriesSets.drain(s.series(request(239 * 15_000L - 60_000, 239 * 15_000L)));
            assertThat(last.get(0).chunks()).hasSize(1);
            // The second chunk (samples 120..239) cut to the five samples in the range.
            assertThat(last.get(0).chunks().get(0).getMinTime()).isEqualTo(235 * 15_000L);
            assertThat(samples(last.get(0).chunks().get(0))).containsExactly(235, 236, 237, 238, 239);
        }
    }

    private static List<Integer> samples(io.thanosj.proto.storepb.AggrChunk c) {
        List<Integer> out = new ArrayList<>();
        SampleIterator it = XorChunk.wrap(c.getRaw().getData().toByteArray()).iterator();
        while (it.next()) {
            assertThat(it.t()).isEqualTo((long) it.v() * 15_000L);
            out.add((int) it.v());
        }
        return out;
    }

    @Test
    void chunksReachingOutsideTheRangeAreCutToItAndOthersPassAsStored() throws Exception {
        try (Block b = write(Labels.of("__name__", "m", "a", "1"))) {
            LocalBlockStore s = new LocalBlockStore(b, Labels.EMPTY);
            SeriesSets.Entry whole = SeriesSets.drain(s.series(request(0, Long.MAX_VALUE))).get(0);
            assertThat(samples(whole.chunks().get(0))).hasSize(120);
            // Across the chunk boundary: the tail of the first chunk and the head of the second.
            SeriesSets.Entry mid = SeriesSets.drain(s.series(request(117 * 15_000L, 122 * 15_000L))).get(0);
            assertThat(mid.chunks()).hasSize(2);
            assertThat(samples(mid.chunks().get(0))).containsExactly(117, 118, 119);
            assertThat(samples(mid.chunks().get(1))).containsExactly(120, 121, 122);
            assertThat(mid.chunks().get(0).getMaxTime()).isEqualTo(119 * 15_000L);
            assertThat(mid.chunks().get(1).getMinTime()).isEqualTo(120 * 15_000L);
            assertThat(mid.chunks().get(1).getMaxTime()).isEqualTo(122 * 15_000L);
            // More than half of the second chunk inside the range: cutting it is not worth its cost.
            SeriesSets.Entry most = SeriesSets.drain(s.series(request(150 * 15_000L, 239 * 15_000L))).get(0);
            assertThat(most.chunks()).hasSize(1);
            assertThat(samples(most.chunks().get(0))).hasSize(120);
            // A range inside the chunk but between two samples keeps the chunk whole.
            SeriesSets.Entry gap = SeriesSets.drain(s.series(request(10 * 15_000L + 1, 11 * 15_000L - 1))).get(0);
            assertThat(gap.chunks()).hasSize(1);
            assertThat(gap.chunks().get(0)).isEqualTo(whole.chunks().get(0));
            // A range covering a whole chunk sends its stored bytes.
            SeriesSets.Entry first = SeriesSets.drain(s.series(request(-1, 119 * 15_000L))).get(0);
            assertThat(first.chunks()).containsExactly(whole.chunks().get(0));
        }
    }

    @Test
    void resortsWhenExternalLabelsBreakTheBlocksOrder() throws Exception {
        // {a=1} < {a=1, b=1} in the block, but with c=x added {a=1, b=1, c=x} < {a=1, c=x}.
        try (Block b = write(Labels.of("__name__", "m", "a", "1"), Labels.of("__name__", "m", "a", "1", "b", "1"))) {
            LocalBlockStore s = new LocalBlockStore(b, Labels.of("c", "x"));
            for (int round = 0; round < 2; round++) { // the second answer comes from the remembered check
                assertThat(labels(SeriesSets.drain(s.series(request(0, Long.MAX_VALUE))))).containsExactly(
                        Labels.of("__name__", "m", "a", "1", "b", "1", "c", "x"),
                        Labels.of("__name__", "m", "a", "1", "c", "x"));
            }
        }
    }

    @Test
    void mergesSeriesThatBecomeEqualWithoutReplicaLabels() throws Exception {
        try (Block b = write(Labels.of("__name__", "m", "replica", "a"), Labels.of("__name__", "m", "replica", "b"))) {
            LocalBlockStore s = new LocalBlockStore(b, Labels.EMPTY);
            List<SeriesSets.Entry> out = SeriesSets.drain(s.series(request(0, Long.MAX_VALUE, "replica")));
            assertThat(labels(out)).containsExactly(Labels.of("__name__", "m"));
            assertThat(out.get(0).chunks()).hasSize(4);
        }
    }

    private Block writeMany(int n) throws Exception {
        Labels[] ls = new Labels[n];
        for (int i = 0; i < n; i++) {
            ls[i] = Labels.of("__name__", "m", "i", String.format("%03d", i));
        }
        return write(ls);
    }

    /** Series read ahead in batches must come out as the block's own series set gives them. */
    @Test
    void readAheadServesEverySeriesWithItsChunksAndTombstones() throws Exception {
        Path bdir;
        try (Block b = writeMany(45)) {
            bdir = b.dir();
            Tombstones ts = Tombstones.empty();
            BlockSeriesSet all = b.all();
            for (int i = 0; all.next(); i++) {
                if (i % 7 == 3) {
                    ts.add(all.ref(), new Interval(0, 30 * 15_000L));
                }
            }
            ts.writeToDir(bdir);
        }
        try (Block b = Block.open(bdir)) {
            List<SeriesSets.Entry> got = SeriesSets.drain(new LocalBlockStore(b, Labels.EMPTY).series(request(0, Long.MAX_VALUE)));
            BlockSeriesSet want = b.select(0, Long.MAX_VALUE, Matcher.equal("__name__", "m"));
            int i = 0;
            while (want.next()) {
                SeriesSets.Entry e = got.get(i++);
                assertThat(e.labels()).isEqualTo(want.labels());
                assertThat(e.chunks()).hasSize(want.chunkMetas().size());
                for (int c = 0; c < e.chunks().size(); c++) {
                    ByteBuffer d = want.chunkData(c);
                    byte[] w = new byte[d.remaining()];
                    d.get(d.position(), w);
                    assertThat(e.chunks().get(c).getRaw().getData().toByteArray()).isEqualTo(w);
                    assertThat(e.chunks().get(c).getMinTime()).isEqualTo(want.chunkMetas().minTime(c));
                }
            }
            assertThat(got).hasSize(45);
            assertThat(i).isEqualTo(45);
        }
    }

    /** A corrupt chunk fails the series it belongs to, after every series before it was served. */
    @Test
    void corruptChunkFailsAtItsSeries() throws Exception {
        Path bdir;
        ChunkLocation loc;
        try (Block b = writeMany(40)) {
            bdir = b.dir();
            BlockSeriesSet all = b.all();
            for (int i = 0; i <= 20; i++) {
                all.next();
            }
            loc = b.chunks().locate(all.chunkMetas().ref(0), new ChunkLocation());
        }
        Path seg = bdir.resolve("chunks").resolve(loc.segment().substring(loc.segment().lastIndexOf('/') + 1));
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(loc.fileOffset() + 3);
            int v = f.read();
            f.seek(loc.fileOffset() + 3);
            f.write(v ^ 0x10);
        }
        try (Block b = Block.open(bdir); SeriesSet s = new LocalBlockStore(b, Labels.EMPTY).series(request(0, Long.MAX_VALUE))) {
            int served = 0;
            while (served < 20) {
                assertThat(s.next()).isTrue();
                served++;
            }
            assertThatThrownBy(s::next).isInstanceOf(ThanosException.class)
                    .hasMessageContaining("checksum mismatch").hasMessageContaining(loc.segment());
        }
    }
}
