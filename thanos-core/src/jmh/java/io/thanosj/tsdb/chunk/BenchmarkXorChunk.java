package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * XOR chunk decoding and encoding in samples per second over 1000 realistic chunks of 120 samples
 * (15 s scrapes with millisecond jitter; half gauges with two decimals, half counters), as a reader
 * would: every sample's timestamp and value consumed. {@link #decodeRegular} decodes chunks of exact
 * 15 s intervals and constant values (one bit per timestamp and per value), the easy case, reported
 * apart.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BenchmarkXorChunk {
    static final int CHUNKS = 1000;
    static final int SAMPLES = 120;

    XorChunk[] chunks;
    XorChunk[] regular;
    long[][] ts;
    double[][] vs;
    SampleIterator it;
    final XorAppender app = new XorAppender();

    @Setup
    public void setup() {
        Random r = new Random(1);
        chunks = new XorChunk[CHUNKS];
        ts = new long[CHUNKS][SAMPLES];
        vs = new double[CHUNKS][SAMPLES];
        for (int c = 0; c < CHUNKS; c++) {
            long t = 1_700_000_000_000L + r.nextInt(15_000);
            double v = r.nextInt(1000);
            for (int i = 0; i < SAMPLES; i++) {
                t += 15_000 + r.nextInt(5) - 2;
                v = c % 2 == 0 ? Math.round((v + r.nextGaussian()) * 100) / 100.0 : v + r.nextInt(50);
                ts[c][i] = t;
                vs[c][i] = v;
            }
            XorAppender a = new XorAppender();
            for (int i = 0; i < SAMPLES; i++) {
                a.append(ts[c][i], vs[c][i]);
            }
            chunks[c] = a.chunk();
        }
        regular = new XorChunk[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            XorAppender a = new XorAppender();
            long t = 1_700_000_000_000L + r.nextInt(15_000);
            double v = c % 2 == 0 ? 1 : r.nextInt(1000);
            for (int i = 0; i < SAMPLES; i++) {
                a.append(t + i * 15_000L, v);
            }
            regular[c] = a.chunk();
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS * SAMPLES)
    public double decode() {
        return decodeAll(chunks);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS * SAMPLES)
    public double decodeRegular() {
        return decodeAll(regular);
    }

    private double decodeAll(XorChunk[] cs) {
        double sum = 0;
        for (XorChunk c : cs) {
            SampleIterator i = it = c.iterator(it);
            while (i.next()) {
                sum += i.v() + i.t();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS * SAMPLES)
    public int encode() {
        int bytes = 0;
        for (int c = 0; c < CHUNKS; c++) {
            app.reset();
            long[] t = ts[c];
            double[] v = vs[c];
            for (int i = 0; i < SAMPLES; i++) {
                app.append(t[i], v[i]);
            }
            bytes += app.sizeBytes();
        }
        return bytes;
    }
}
