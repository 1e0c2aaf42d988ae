package io.thanosj.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Overlapping chunks read as one increasing series, by next and by seek. */
@Tag("unit")
class TestChunkSeriesIterator {
    @Test
    void nextAndSeekAgreeWithAReferenceMerge() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<AggrChunk> chunks = new ArrayList<>();
            TreeMap<Long, Double> firstWins = new TreeMap<>();
            long start = rnd.nextInt(1000);
            for (int c = rnd.nextInt(5); c >= 0; c--) {
                XorAppender a = new XorAppender();
                long t = start + rnd.nextInt(200);
                int n = 1 + rnd.nextInt(150);
                long first = t;
                for (int i = 0; i < n; i++) {
                    double v = rnd.nextInt(100);
                    a.append(t, v);
                    t += 1 + rnd.nextInt(30);
                }
                XorChunk x = a.chunk();
                chunks.add(AggrChunk.newBuilder().setMinTime(first).setMaxTime(t)
                        .setRaw(Chunk.newBuilder().setData(ByteString.copyFrom(x.bytes()))).build());
                start = first + rnd.nextInt(400);
            }
            chunks.sort((x, y) -> Long.compare(x.getMinTime(), y.getMinTime()));
            List<long[]> want = reference(chunks);
            io.thanosj.model.DrainCheck.check(() -> new ChunkSeriesIterator(chunks), rnd, 20);
            // next() over everything
            List<long[]> got = new ArrayList<>();
            SampleIterator it = new ChunkSeriesIterator(chunks);
            while (it.next()) {
                got.add(new long[] {it.t(), (long) it.v()});
            }
            assertThat(got).usingElementComparator(TestChunkSeriesIterator::cmp).isEqualTo(want);
            // seeks to increasing targets, with next() in between
            it = new ChunkSeriesIterator(chunks);
            long target = 0;
            int k = 0;
            while (true) {
                target += rnd.nextInt(60);
                while (k < want.size() && want.get(k)[0] < target) {
                    k++;
                }
                boolean ok = it.seek(target);
                assertThat(ok).isEqualTo(k < want.size());
                if (!ok) {
                    break;
                }
                assertThat(it.t()).isEqualTo(want.get(k)[0]);
                assertThat((long) it.v()).isEqualTo(want.get(k)[1]);
                if (rnd.nextBoolean()) {
                    assertThat(it.seek(target - 5)).isTrue(); // stays put
                    assertThat(it.t()).isEqualTo(want.get(k)[0]);
                    boolean more = it.next();
                    k++;
                    assertThat(more).isEqualTo(k < want.size());
                    if (!more) {
                        break;
                    }
                    assertThat(it.t()).isEqualTo(want.get(k)[0]);
                    target = it.t();
                }
            }
        }
    }

    /** Chunks in min-time order; a sample at or before the last one kept is dropped. */
    private static List<long[]> reference(List<AggrChunk> chunks) {
        List<long[]> out = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (AggrChunk c : chunks) {
            SampleIterator x = XorChunk.wrap(c.getRaw().getData().toByteArray()).iterator();
            while (x.next()) {
                if (x.t() > last) {
                    last = x.t();
                    out.add(new long[] {x.t(), (long) x.v()});
                }
            }
        }
        return out;
    }

    private static int cmp(long[] a, long[] b) {
        return a[0] == b[0] && a[1] == b[1] ? 0 : 1;
    }
}
