package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Rough wall-clock comparison with Prometheus 2.42's promtool on the same data (N series x 120
 * samples, default 10k): writing a block (promtool create-blocks-from openmetrics, which also parses
 * text) against our BlockWriter, and reading every sample (promtool tsdb dump, which also formats
 * text) against our block reader. Best of 3 runs each. Usage: PromtoolComparison [series].
 */
public final class PromtoolComparison {
    private PromtoolComparison() {}

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int samples = 120;
        Path dir = Files.createTempDirectory("tsdb-compare");
        try {
            Path om = dir.resolve("in.om");
            try (BufferedWriter w = Files.newBufferedWriter(om)) {
                w.write("# TYPE container_cpu_usage_seconds_total counter\n");
                for (int s = 0; s < series; s++) {
                    Labels l = BenchmarkBlockWrite.labels(s, series);
                    String prefix = "container_cpu_usage_seconds_total{namespace=\"" + l.get("namespace") + "\",pod=\""
                            + l.get("pod") + "\"} ";
                    double v = s;
                    for (int i = 0; i < samples; i++) {
                        long t = 1_700_000_000_000L + (s % 15_000) + i * 15_000L;
                        v += (i * 31 + s) % 7;
                        w.write(prefix + (long) v + " " + t / 1000 + "." + String.format("%03d", t % 1000) + "\n");
                    }
                }
                w.write("# EOF\n");
            }
            double promWrite = Double.MAX_VALUE;
            double promRead = Double.MAX_VALUE;
            double ourWrite = Double.MAX_VALUE;
            double ourRead = Double.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                Path pdb = dir.resolve("prom" + run);
                promWrite = Math.min(promWrite, time(dir, "promtool", "tsdb", "create-blocks-from", "openmetrics",
                        om.toString(), pdb.toString()));
                Files.createDirectories(pdb.resolve("wal"));
                promRead = Math.min(promRead, time(dir, "promtool", "tsdb", "dump", pdb.toString()));
                Path odb = dir.resolve("ours" + run);
                Files.createDirectories(odb);
                long t0 = System.nanoTime();
                BenchmarkBlockWrite b = new BenchmarkBlockWrite();
                b.series = series;
                b.samples = samples;
                b.dir = odb;
                BlockMeta m = b.writeBlock();
                ourWrite = Math.min(ourWrite, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                long n = 0;
                try (Block blk = Block.open(odb.resolve(m.ulid()))) {
                    BlockSeriesSet ss = blk.all();
                    while (ss.next()) {
                        SampleIterator it = ss.samples();
                        while (it.next()) {
                            n++;
                        }
                    }
                }
                ourRead = Math.min(ourRead, (System.nanoTime() - t0) / 1e9);
                if (n != (long) series * samples) {
                    throw new IllegalStateException("read " + n + " samples");
                }
            }
            System.out.printf("compare %d series x %d samples (best of 3, seconds)%n", series, samples);
            System.out.printf("  write block: promtool create-blocks-from %.2f (incl. text parsing)   thanosj BlockWriter %.2f%n",
                    promWrite, ourWrite);
            System.out.printf("  read all samples: promtool tsdb dump %.2f (incl. text output)   thanosj Block reader %.2f%n",
                    promRead, ourRead);
        } finally {
            BlockWriter.deleteTree(dir);
        }
    }

    private static double time(Path dir, String... cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
