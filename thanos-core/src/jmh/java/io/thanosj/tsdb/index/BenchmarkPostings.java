package io.thanosj.tsdb.index;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
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
 * Intersecting two postings lists of 1M references each (from a 2M range, about 500k in common),
 * over arrays and over big-endian bytes as read from an index; plus a sparse list (10k) against 1M,
 * where galloping seeks skip most of the long list.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BenchmarkPostings {
    long[] a;
    long[] b;
    long[] sparse;
    ByteBuffer ba;
    ByteBuffer bb;

    @Setup
    public void setup() {
        Random r = new Random(3);
        a = new long[1_000_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = 2L * i;
        }
        b = r.longs(0, 2_000_000).distinct().limit(1_000_000).toArray();
        Arrays.sort(b);
        sparse = r.longs(0, 2_000_000).distinct().limit(10_000).toArray();
        Arrays.sort(sparse);
        ba = toBytes(a);
        bb = toBytes(b);
    }

    static ByteBuffer toBytes(long[] v) {
        ByteBuffer buf = ByteBuffer.allocateDirect(v.length * 4);
        for (long x : v) {
            buf.putInt((int) x);
        }
        return buf.flip();
    }

    static long count(Postings p) {
        long n = 0;
        while (p.next()) {
            n += p.at();
        }
        return n;
    }

    @Benchmark
    public long intersect1Mx1MArrays() {
        return count(PostingsOps.intersect(PostingsOps.of(a), PostingsOps.of(b)));
    }

    @Benchmark
    public long intersect1Mx1MBigEndian() {
        return count(PostingsOps.intersect(new BigEndianPostings(ba, 0, a.length), new BigEndianPostings(bb, 0, b.length)));
    }

    @Benchmark
    public long intersect10kx1MBigEndian() {
        return count(PostingsOps.intersect(PostingsOps.of(sparse), new BigEndianPostings(bb, 0, b.length)));
    }

    @Benchmark
    public long merge1Mx1MArrays() {
        return count(PostingsOps.merge(PostingsOps.of(a), PostingsOps.of(b)));
    }
}
