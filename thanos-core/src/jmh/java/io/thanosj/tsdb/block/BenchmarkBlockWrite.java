package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing a whole block (chunks, index, tombstones, meta.json, fsyncs) of 1M series x 120 samples,
 * series generated in label order on the fly, in a 1 GiB heap: the writer streams series to disk and
 * keeps only the symbols in memory. One shot: a run takes tens of seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BenchmarkBlockWrite {
    @Param("1000000")
    public int series;

    @Param("120")
    public int samples;

    Path dir;

    static Labels labels(int s, int series) {
        return Labels.of("__name__", "container_cpu_usage_seconds_total",
                "namespace", pad("ns-", s * 20L / series, 2), "pod", pad("pod-", s, 7));
    }

    /** {@code String.format(prefix + "%0<width>d", v)} without a Formatter, which would dominate the profile. */
    static String pad(String prefix, long v, int width) {
        String d = Long.toString(v);
        return d.length() >= width ? prefix + d : prefix + "0".repeat(width - d.length()) + d;
    }

    @Setup(Level.Invocation)
    public void dir() throws IOException {
        dir = Files.createTempDirectory("bench-block");
    }

    @TearDown(Level.Invocation)
    public void delete() throws IOException {
        BlockWriter.deleteTree(dir);
    }

    @Benchmark
    public BlockMeta writeBlock() {
        long[] t = new long[samples];
        double[] v = new double[samples];
        try (BlockWriter w = new BlockWriter(dir)) {
            // Zero-padded numbers keep numeric and label order equal, so series arrive sorted.
            for (int s = 0; s < series; s++) {
                Labels l = labels(s, series);
                long ts = 1_700_000_000_000L + (s % 15_000);
                double val = s;
                for (int i = 0; i < samples; i++) {
                    t[i] = ts + i * 15_000L;
                    val += (i * 31 + s) % 7;
                    v[i] = val;
                }
                w.addSeries(l, t, v, samples);
            }
            return w.finish();
        }
    }
}
