package io.thanosj.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSets;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
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
            assertThat(last.get(0).chunks().get(0).getMinTime()).isEqualTo(120 * 15_000L);
            assertThat(last.get(0).chunks().get(0).getRaw().getData().size()).isGreaterThan(2);
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
}
