package io.thanosj.store;

import static io.thanosj.store.StoreTesting.labelsOf;
import static io.thanosj.store.StoreTesting.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.tsdb.chunk.XorAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestDedup {
    private static final long STEP = 15_000;
    private static final long MIN = 60_000;

    /** A source series: one sample every 15s for two hours, a deterministic wandering gauge. */
    private static TreeMap<Long, Double> source(int n) {
        TreeMap<Long, Double> s = new TreeMap<>();
        double v = 100;
        long seed = 7;
        for (int i = 0; i < n; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            v += ((seed >>> 40) % 1000) / 100.0 - 5;
            s.put(i * STEP, v);
        }
        return s;
    }

    /** The source without [gapFrom, gapTo), encoded as XOR chunks of up to 120 samples. */
    private static List<AggrChunk> chunks(TreeMap<Long, Double> src, long gapFrom, long gapTo) {
        List<AggrChunk> out = new ArrayList<>();
        XorAppender app = null;
        long first = 0, last = 0;
        for (var e : src.entrySet()) {
            long t = e.getKey();
            if (t >= gapFrom && t < gapTo) {
                continue;
            }
            if (app == null) {
                app = new XorAppender();
                first = t;
            }
            app.append(t, e.getValue());
            last = t;
            if (app.numSamples() == 120) {
                out.add(aggr(first, last, app));
                app = null;
            }
        }
        if (app != null) {
            out.add(aggr(first, last, app));
        }
        return out;
    }

    private static AggrChunk aggr(long mint, long maxt, XorAppender app) {
        return AggrChunk.newBuilder().setMinTime(mint).setMaxTime(maxt)
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(app.chunk().bytes())))
                .build();
    }

    private static TreeMap<Long, Double> samples(SampleIterator it) {
        TreeMap<Long, Double> out = new TreeMap<>();
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            assertThat(it.t()).isGreaterThan(prev);
            prev = it.t();
            out.put(it.t(), it.v());
        }
        return out;
    }

    private static long maxGap(TreeMap<Long, Double> s) {
        long max = 0;
        Long prev = null;
        for (long t : s.keySet()) {
            if (prev != null) {
                max = Math.max(max, t - prev);
            }
            prev = t;
        }
        return max;
    }

    private static StoreTarget target(String name, StoreServer s) {
        return new StoreTarget(name, s, s.info());
    }

    /**
     * The HA pair over gRPC: replica a misses 30m-40m, replica b misses 70m-80m of the same
     * source. Deduplicated, one series without the replica label, no gap beyond the switch
     * penalty, every sample the source's.
     */
    @Test
    void haPairWithGapsInEitherReplicaYieldsOneGapFreeSeries() throws Exception {
        TreeMap<Long, Double> src = source(480);
        Labels series = Labels.of("__name__", "temperature", "room", "kitchen");
        MemStore a = new MemStore(Labels.of("cluster", "eu", "replica", "a"));
        MemStore b = new MemStore(Labels.of("cluster", "eu", "replica", "b"));
        a.add(series, chunks(src, 30 * MIN, 40 * MIN).toArray(new AggrChunk[0]));
        b.add(series, chunks(src, 70 * MIN, 80 * MIN).toArray(new AggrChunk[0]));
        try (StoreTesting.Served sa = StoreTesting.serve(a); StoreTesting.Served sb = StoreTesting.serve(b)) {
            List<StoreTarget> ts = List.of(target(sa.address, sa.client(Duration.ofSeconds(5))),
                    target(sb.address, sb.client(Duration.ofSeconds(5))));
            ProxyStore proxy = new ProxyStore(() -> ts, StoreTesting.EXECUTOR, Limits.NONE);
            long mint = 0, maxt = src.lastKey();
            SeriesRequest r = request(mint, maxt, Matcher.equal("__name__", "temperature")).build();

            // Without dedup: both replicas, each with its gap.
            List<SeriesSets.Entry> raw = SeriesSets.drain(proxy.series(r));
            assertThat(labelsOf(raw)).containsExactly(
                    Labels.of("__name__", "temperature", "room", "kitchen", "cluster", "eu", "replica", "a"),
                    Labels.of("__name__", "temperature", "room", "kitchen", "cluster", "eu", "replica", "b"));
            assertThat(maxGap(samples(new ChunkSeqIterator(raw.get(0).chunks(), mint, maxt)))).isEqualTo(10 * MIN + STEP);
            assertThat(maxGap(samples(new ChunkSeqIterator(raw.get(1).chunks(), mint, maxt)))).isEqualTo(10 * MIN + STEP);

            try (SampleSeriesSet d = Dedup.penalty(proxy.series(Dedup.request(r, List.of("replica"))), mint, maxt, false)) {
                assertThat(d.next()).isTrue();
                assertThat(d.labels()).isEqualTo(Labels.of("__name__", "temperature", "room", "kitchen", "cluster", "eu"));
                TreeMap<Long, Double> got = samples(d.iterator());
                assertThat(d.next()).isFalse();
                assertThat(d.warnings()).isEmpty();

                // Gap-free: a switch skips at most two samples (the penalty), far inside the 5m lookback.
                assertThat(maxGap(got)).isLessThanOrEqualTo(3 * STEP);
                assertThat(got.firstKey()).isEqualTo(src.firstKey());
                assertThat(got.lastKey()).isEqualTo(src.lastKey());
                assertThat(got.size()).isGreaterThanOrEqualTo(src.size() - 4);
                got.forEach((t, v) -> assertThat(v).as("sample at %d", t).isEqualTo(src.get(t)));
            }
        }
    }

    @Test
    void identicalReplicasDeduplicateToExactlyTheSource() {
        TreeMap<Long, Double> src = source(300);
        // Replica b's chunks start 60 samples later than a's, so no chunk is identical and the
        // two replicas overlap all along.
        List<AggrChunk> all = new ArrayList<>(chunks(src, 0, 0));
        all.addAll(chunks(new TreeMap<>(src.headMap(60 * STEP)), 0, 0));
        all.addAll(chunks(new TreeMap<>(src.tailMap(60 * STEP)), 0, 0));
        assertThat(DedupSeriesSet.splitOverlaps(ChunkOrder.sortUnique(all))).hasSize(2);
        SeriesSet in = SeriesSets.of(List.of(new SeriesSets.Entry(Labels.of("a", "1"), ChunkOrder.sortUnique(all))));
        try (SampleSeriesSet d = Dedup.penalty(in, Long.MIN_VALUE, Long.MAX_VALUE, false)) {
            assertThat(d.next()).isTrue();
            assertThat(samples(d.iterator())).isEqualTo(src);
        }
    }

    @Test
    void threeReplicasEachWithAGap() {
        TreeMap<Long, Double> src = source(480);
        List<AggrChunk> all = new ArrayList<>();
        all.addAll(chunks(src, 10 * MIN, 20 * MIN));
        all.addAll(chunks(src, 50 * MIN, 60 * MIN));
        all.addAll(chunks(src, 90 * MIN, 110 * MIN));
        SeriesSet in = SeriesSets.of(List.of(new SeriesSets.Entry(Labels.of("a", "1"), ChunkOrder.sortUnique(all))));
        try (SampleSeriesSet d = Dedup.penalty(in, 0, src.lastKey(), false)) {
            assertThat(d.next()).isTrue();
            TreeMap<Long, Double> got = samples(d.iterator());
            assertThat(maxGap(got)).isLessThanOrEqualTo(3 * STEP);
            got.forEach((t, v) -> assertThat(v).isEqualTo(src.get(t)));
        }
    }

    @Test
    void boundsAndSeek() {
        TreeMap<Long, Double> src = source(480);
        List<AggrChunk> all = new ArrayList<>(chunks(src, 30 * MIN, 40 * MIN));
        all.addAll(chunks(src, 70 * MIN, 80 * MIN));
        SeriesSet in = SeriesSets.of(List.of(new SeriesSets.Entry(Labels.of("a", "1"), ChunkOrder.sortUnique(all))));
        long mint = 20 * MIN + 1, maxt = 90 * MIN;
        try (SampleSeriesSet d = Dedup.penalty(in, mint, maxt, false)) {
            assertThat(d.next()).isTrue();
            TreeMap<Long, Double> got = samples(d.iterator());
            assertThat(got.firstKey()).isEqualTo(20 * MIN + STEP);
            assertThat(got.lastKey()).isEqualTo(maxt);
            SampleIterator it = d.iterator();
            assertThat(it.seek(75 * MIN)).isTrue();
            assertThat(it.t()).isBetween(75 * MIN, 75 * MIN + 2 * STEP);
            assertThat(it.seek(75 * MIN)).isTrue(); // stays
            assertThat(it.seek(maxt + 1)).isFalse();
        }
    }

    /**
     * Two small cases from Thanos's pkg/dedup tests (issue 2401), as sample data. Thanos expects
     * one more sample (90000) because its test iterator can seek backwards; chunk iterators, ours
     * and Thanos's in production, only move forward, and the penalty seek at 55001 already moved
     * replica a past 90000.
     */
    @Test
    void penaltyFollowsThanosOnItsRegressionCases() {
        long[] ta = {10000, 20000, 50001, 60000, 70000, 80000, 90000, 100000};
        double[] va = {8, 9, 10, 11, 12, 13, 14, 15};
        long[] tb = {10001, 45001, 55001, 65001};
        double[] vb = {8, 8.5, 9.5, 10.5};
        assertThat(run(ta, va, tb, vb, true)).containsExactly(
                "10000=8.0", "20000=9.0", "45001=9.0", "55001=10.0", "65001=11.0", "100000=15.0");
        assertThat(run(ta, va, tb, vb, false)).containsExactly(
                "10000=8.0", "20000=9.0", "45001=8.5", "55001=9.5", "65001=10.5", "100000=15.0");
    }

    private static List<String> run(long[] ta, double[] va, long[] tb, double[] vb, boolean counter) {
        PenaltyIterator it = new PenaltyIterator(ReplicaCursor.of(new ArrayIterator(ta, va), counter),
                ReplicaCursor.of(new ArrayIterator(tb, vb), counter));
        List<String> out = new ArrayList<>();
        while (it.next()) {
            out.add(it.t() + "=" + it.v());
        }
        return out;
    }

    /** Every replica run goes through the run decoder, which sees the whole series' chunks. */
    @Test
    void runsAreDecodedByTheGivenDecoder() {
        TreeMap<Long, Double> src = source(300);
        List<AggrChunk> all = new ArrayList<>(chunks(src, 0, 0));
        all.addAll(chunks(new TreeMap<>(src.tailMap(60 * STEP)), 0, 0));
        List<AggrChunk> sorted = ChunkOrder.sortUnique(all);
        SeriesSet in = SeriesSets.of(List.of(new SeriesSets.Entry(Labels.of("a", "1"), sorted)));
        List<String> calls = new ArrayList<>();
        Dedup.RunDecoder rec = (labels, series, run, mint, maxt) -> {
            assertThat(series).isEqualTo(sorted);
            calls.add(labels + " " + run.size() + " [" + mint + ", " + maxt + "]");
            return Dedup.RAW.decode(labels, series, run, mint, maxt);
        };
        try (SampleSeriesSet d = Dedup.penalty(in, 0, src.lastKey(), false, rec)) {
            assertThat(d.next()).isTrue();
            assertThat(samples(d.iterator())).isEqualTo(src);
        }
        assertThat(calls).containsExactly("{a=\"1\"} 3 [0, 4485000]", "{a=\"1\"} 2 [0, 4485000]");
    }

    @Test
    void overlappingChunksAreSplitIntoRuns() {
        AggrChunk a1 = StoreTesting.chunk(0, 99, 1, 1), a2 = StoreTesting.chunk(100, 199, 1, 2);
        AggrChunk b1 = StoreTesting.chunk(5, 104, 1, 3), b2 = StoreTesting.chunk(105, 204, 1, 4);
        assertThat(DedupSeriesSet.splitOverlaps(List.of(b2, a1, b1, a2)))
                .containsExactly(List.of(a1, a2), List.of(b1, b2));
    }

    @Test
    void histogramChunksAreRefusedClearly() {
        AggrChunk h = AggrChunk.newBuilder().setMinTime(0).setMaxTime(10)
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.HISTOGRAM).setData(ByteString.copyFrom(new byte[] {0, 1, 0})))
                .build();
        SeriesSet in = SeriesSets.of(List.of(new SeriesSets.Entry(Labels.of("a", "1"), List.of(h))));
        try (SampleSeriesSet d = Dedup.penalty(in, 0, 10, false)) {
            assertThat(d.next()).isTrue();
            assertThatThrownBy(() -> d.iterator().next()).isInstanceOf(ThanosException.class)
                    .hasMessage("decode series: chunk [0, 10] has encoding HISTOGRAM, only XOR float chunks can be deduplicated");
        }
    }

    private static final class ArrayIterator implements SampleIterator {
        private final long[] ts;
        private final double[] vs;
        private int i = -1;

        ArrayIterator(long[] ts, double[] vs) {
            this.ts = ts;
            this.vs = vs;
        }

        @Override
        public boolean next() {
            return ++i < ts.length;
        }

        @Override
        public boolean seek(long t) {
            if (i < 0) {
                i = 0;
            }
            while (i < ts.length && ts[i] < t) {
                i++;
            }
            return i < ts.length;
        }

        @Override
        public long t() {
            return ts[i];
        }

        @Override
        public double v() {
            return vs[i];
        }
    }
}
