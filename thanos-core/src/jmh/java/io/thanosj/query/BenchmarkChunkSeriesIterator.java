package io.thanosj.query;

import com.google.protobuf.ByteString;
import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.tsdb.chunk.XorAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding raw XOR chunks through the querier's iterator, in the default view and in the counter
 * view (which first checks the series for downsampled chunks): 1000 series of 4 chunks of 120
 * samples, every sample read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BenchmarkChunkSeriesIterator {
    private static final Labels SERIES = Labels.of("__name__", "m");
    private final List<List<AggrChunk>> series = new ArrayList<>();

    @Setup
    public void setup() {
        long seed = 1;
        for (int s = 0; s < 1000; s++) {
            List<AggrChunk> chunks = new ArrayList<>();
            double v = 0;
            for (int c = 0; c < 4; c++) {
                XorAppender a = new XorAppender();
                long t0 = c * 120 * 15_000L;
                for (int i = 0; i < 120; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    v += (seed >>> 54);
                    a.append(t0 + i * 15_000L, v);
                }
                chunks.add(AggrChunk.newBuilder().setMinTime(t0).setMaxTime(t0 + 119 * 15_000L)
                        .setRaw(Chunk.newBuilder().setData(ByteString.copyFrom(a.chunk().bytes()))).build());
            }
            series.add(chunks);
        }
    }

    private static double sum(SampleIterator it) {
        double s = 0;
        while (it.next()) {
            s += it.v();
        }
        return s;
    }

    @Benchmark
    public double rawDefaultView() {
        double s = 0;
        for (List<AggrChunk> c : series) {
            s += sum(ChunkSeriesIterator.of(c, ChunkView.AVERAGE, SERIES));
        }
        return s;
    }

    @Benchmark
    public double rawCounterView() {
        double s = 0;
        for (List<AggrChunk> c : series) {
            s += sum(ChunkSeriesIterator.of(c, ChunkView.COUNTER, SERIES));
        }
        return s;
    }
}
