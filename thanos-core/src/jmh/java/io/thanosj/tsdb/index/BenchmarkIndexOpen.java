package io.thanosj.tsdb.index;

import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.chunk.ChunkMetas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
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
 * Opening the index of a 1M-series block (magic, TOC, symbol table scan, postings offset table
 * scan, all checksums) and a typical selection on it. The index is written once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class BenchmarkIndexOpen {
    @Param("1000000")
    public int series;

    Path dir;
    Path file;
    IndexReader open;

    /** 1M series: 100 metric names x 10k pods, 20 namespaces, 3 zones, a unique id per series. */
    static Labels labels(int s) {
        return Labels.of("__name__", "metric_" + (s % 100), "pod", "pod-" + (s / 100), "namespace",
                "ns-" + (s / 100 % 20), "zone", "zone-" + (s % 3), "id", Integer.toString(s));
    }

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("bench-index");
        file = dir.resolve("index");
        List<Labels> all = new ArrayList<>(series);
        TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
        for (int s = 0; s < series; s++) {
            Labels l = labels(s);
            all.add(l);
            l.forEach((n, v) -> {
                symbols.add(n);
                symbols.add(v);
            });
        }
        all.sort(Labels::compareTo);
        long t0 = System.nanoTime();
        try (IndexWriter w = new IndexWriter(file)) {
            w.addSymbols(symbols);
            ChunkMetas c = new ChunkMetas();
            long ref = 8;
            for (Labels l : all) {
                c.clear();
                c.add(ref, 0, 7_199_999);
                ref += 150;
                w.addSeries(l, c);
            }
        }
        System.out.printf("%nwrote %d-series index, %d MiB, in %d ms%n", series, Files.size(file) >> 20,
                (System.nanoTime() - t0) / 1_000_000);
        open = IndexReader.open(file, "bench");
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        open.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public int openIndex() {
        try (IndexReader r = IndexReader.open(file, "bench")) {
            return r.numSymbols();
        }
    }

    /** {@code metric_7{zone="zone-1", namespace=~"ns-1.*"}}: 10k series, decoded with their chunk metas. */
    @Benchmark
    public int selectSeries() {
        SeriesCursor c = open.select(0, Long.MAX_VALUE, Matcher.equal("__name__", "metric_7"),
                Matcher.equal("zone", "zone-1"), Matcher.of(MatchType.REGEX, "namespace", "ns-1.*"));
        int n = 0;
        while (c.next()) {
            n += c.chunks().size();
        }
        return n;
    }
}
