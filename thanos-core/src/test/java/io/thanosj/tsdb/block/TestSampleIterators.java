package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.XorAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestSampleIterators {
    private static SampleIterator chunk(long... tv) {
        XorAppender a = new XorAppender();
        for (int i = 0; i < tv.length; i += 2) {
            a.append(tv[i], tv[i + 1]);
        }
        return a.chunk().iterator();
    }

    @Test
    void mergedIteratorDeduplicatesAndFirstSourceWins() {
        MergedSampleIterator m = new MergedSampleIterator(new SampleIterator[] {
            chunk(1, 10, 3, 30, 5, 50), chunk(2, 20, 3, 99, 6, 60)});
        long[] ts = new long[6];
        double[] vs = new double[6];
        int n = 0;
        while (m.next()) {
            ts[n] = m.t();
            vs[n++] = m.v();
        }
        assertThat(n).isEqualTo(5);
        assertThat(ts).startsWith(1, 2, 3, 5, 6);
        assertThat(vs[2]).isEqualTo(30);
        assertThat(m.seek(0)).isFalse(); // exhausted stays exhausted
        MergedSampleIterator s = new MergedSampleIterator(new SampleIterator[] {chunk(1, 1, 9, 9), chunk(4, 4)});
        assertThat(s.seek(4)).isTrue();
        assertThat(s.t()).isEqualTo(4);
        assertThat(s.seek(2)).isTrue();
        assertThat(s.t()).isEqualTo(4);
        assertThat(s.seek(5)).isTrue();
        assertThat(s.t()).isEqualTo(9);
        assertThat(s.seek(10)).isFalse();
    }

    @Test
    void blockIteratorSeeksAcrossChunksRangesAndTombstones(@TempDir Path dir) {
        long[] t = new long[500];
        double[] v = new double[500];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 10L;
            v[i] = i;
        }
        BlockMeta m;
        try (BlockWriter w = new BlockWriter(dir)) {
            w.addSeries(Labels.of("a", "b"), t, v, t.length);
            m = w.finish();
        }
        Tombstones ts = Tombstones.empty();
        try (Block b = Block.open(dir.resolve(m.ulid()))) {
            BlockSeriesSet s = b.all();
            s.next();
            ts.add(s.ref(), new Interval(1500, 2500));
        }
        ts.writeToDir(dir.resolve(m.ulid()));
        try (Block b = Block.open(dir.resolve(m.ulid()))) {
            BlockSeriesSet s = b.select(1000, 4000, io.thanosj.model.Matcher.equal("a", "b"));
            assertThat(s.next()).isTrue();
            SampleIterator it = s.samples();
            assertThat(it.seek(0)).isTrue();
            assertThat(it.t()).isEqualTo(1000); // clamped to the range start
            assertThat(it.seek(1500)).isTrue();
            assertThat(it.t()).isEqualTo(2510); // deleted interval skipped
            assertThat(it.seek(1200)).isTrue(); // never goes back
            assertThat(it.t()).isEqualTo(2510);
            assertThat(it.seek(3995)).isTrue();
            assertThat(it.t()).isEqualTo(4000);
            assertThat(it.next()).isFalse(); // range end
            assertThat(it.seek(0)).isFalse();
            assertThat(s.next()).isFalse();
        }
    }
}
