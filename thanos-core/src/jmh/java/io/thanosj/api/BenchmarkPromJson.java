package io.thanosj.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
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
 * Nanoseconds per sample value written into the HTTP API's JSON: realistic rates and ratios (what
 * {@code rate()} and divisions return: many digits) and integers (counters, gauges). {@code old*}
 * is the previous formatter (JDK 17's {@code Double.toString} with its digits reshuffled), kept here
 * as the baseline; {@code new*} is {@link PromJson#formatSample}; {@code json*} goes through a
 * Jackson generator as QueryApi does, with the timestamps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class BenchmarkPromJson {
    static final int N = 4096;

    double[] rates;
    double[] ints;
    char[] buf = new char[400];
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    JsonFactory json = new JsonFactory();

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(7);
        rates = new double[N];
        ints = new double[N];
        for (int i = 0; i < N; i++) {
            rates[i] = switch (i % 4) {
                case 0 -> rnd.nextLong(1L << 32) / 60.0; // per-second rate of a counter over a minute
                case 1 -> rnd.nextDouble(); // a ratio
                case 2 -> rnd.nextInt(100_000) / 300.0 * 0.95; // a rate scaled by a factor
                default -> rnd.nextInt(1_000_000) / 1000.0; // a gauge with three decimals
            };
            ints[i] = rnd.nextLong(1L << 40);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int newRates() {
        return formatAll(rates, false);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int oldRates() {
        return formatAll(rates, true);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int newIntegers() {
        return formatAll(ints, false);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int oldIntegers() {
        return formatAll(ints, true);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int jsonRates() throws IOException {
        bytes.reset();
        try (JsonGenerator g = json.createGenerator(bytes, JsonEncoding.UTF8)) {
            g.writeStartArray();
            long t = 1_700_000_000_000L;
            for (double v : rates) {
                g.writeStartArray();
                PromJson.writeTimestamp(g, t);
                PromJson.writeValue(g, v);
                g.writeEndArray();
                t += 15_000;
            }
            g.writeEndArray();
        }
        return bytes.size();
    }

    private int formatAll(double[] vs, boolean old) {
        int n = 0;
        char[] b = buf;
        for (double v : vs) {
            n += old ? oldFormat(v, b) : PromJson.formatSample(v, b);
        }
        return n;
    }

    /** The formatter before GoFloatFormat: JDK 17's Double.toString, digits reshuffled into Go's 'f' layout. */
    static int oldFormat(double v, char[] out) {
        if (Double.isNaN(v)) {
            return copy("NaN", out, 0);
        }
        if (Double.isInfinite(v)) {
            return copy(v > 0 ? "+Inf" : "-Inf", out, 0);
        }
        if (v == 0) {
            return copy(Double.doubleToRawLongBits(v) < 0 ? "-0" : "0", out, 0);
        }
        int p = 0;
        if (v < 0) {
            out[p++] = '-';
        }
        double a = Math.abs(v);
        if (a < 0x1p53 && a == Math.rint(a)) {
            long x = (long) a;
            int len = 1;
            for (long t = x; t >= 10; t /= 10) {
                len++;
            }
            for (int i = p + len - 1; i >= p; i--) {
                out[i] = (char) ('0' + x % 10);
                x /= 10;
            }
            return p + len;
        }
        String s = Double.toString(a);
        int e = s.indexOf('E');
        int mantEnd = e < 0 ? s.length() : e;
        int exp = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
        char[] digits = new char[mantEnd];
        int nd = 0;
        int dp = 0;
        boolean seenPoint = false;
        for (int i = 0; i < mantEnd; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                seenPoint = true;
                continue;
            }
            if (nd == 0 && c == '0') {
                if (seenPoint) {
                    dp--;
                }
                continue;
            }
            digits[nd++] = c;
            if (!seenPoint) {
                dp++;
            }
        }
        while (nd > 0 && digits[nd - 1] == '0') {
            nd--;
        }
        dp += exp;
        if (dp <= 0) {
            out[p++] = '0';
            out[p++] = '.';
            for (int i = dp; i < 0; i++) {
                out[p++] = '0';
            }
            System.arraycopy(digits, 0, out, p, nd);
            return p + nd;
        }
        if (dp >= nd) {
            System.arraycopy(digits, 0, out, p, nd);
            p += nd;
            for (int i = nd; i < dp; i++) {
                out[p++] = '0';
            }
            return p;
        }
        System.arraycopy(digits, 0, out, p, dp);
        p += dp;
        out[p++] = '.';
        System.arraycopy(digits, dp, out, p, nd - dp);
        return p + nd - dp;
    }

    private static int copy(String s, char[] out, int p) {
        s.getChars(0, s.length(), out, p);
        return p + s.length();
    }
}
