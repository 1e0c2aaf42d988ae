package io.thanosj.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.objstore.S3ProxyServer;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Tag("unit")
class TestBucketCommand {
    static final String A = "01HQAAAAAAAAAAAAAAAAAAAAAA";
    static final String B = "01HQBBBBBBBBBBBBBBBBBBBBBB";
    static final String C = "01HQCCCCCCCCCCCCCCCCCCCCCC";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    /** Runs {@code bucket ARGS} in-process, with the launcher's one-line error handling. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BucketCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof ThanosException t) {
                c.getErr().println("error: " + t.getMessage());
                return t.code().exitCode();
            }
            throw e;
        });
        // Pin the zone: Go prints local time, tests need a fixed one.
        for (CommandLine sub : cl.getSubcommands().values()) {
            Object o = sub.getCommand();
            if (o instanceof BucketLsCommand ls) {
                ls.zone = ZoneOffset.UTC;
            } else if (o instanceof BucketInspectCommand in) {
                in.zone = ZoneOffset.UTC;
            }
        }
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static BlockMeta meta(String ulid, long min, long max, long res, int level, boolean failed, Map<String, String> labels,
                          String source, BlockMeta.Stats stats) {
        BlockMeta m = BlockMeta.newBlock(ulid, min, max, stats);
        BlockMeta.Thanos t = BlockMeta.Thanos.EMPTY;
        m = m.withThanos(new BlockMeta.Thanos(t.version(), labels, res, source, List.of(), List.of(), List.of(),
                t.indexStats(), null, null));
        return m.withCompaction(new BlockMeta.Compaction(level, List.of(ulid), List.of(), false, failed, List.of()));
    }

    static final BlockMeta META_A = meta(A, 1_700_000_000_000L, 1_700_007_200_000L, 0, 1, false,
            Map.of("replica", "a", "cluster", "eu"), "sidecar", new BlockMeta.Stats(1_234_567, 1_234, 12_345, 0));
    static final BlockMeta META_B = meta(B, 1_699_000_000_000L, 1_699_172_800_000L, 300_000, 3, true,
            Map.of("cluster", "us"), "compactor", new BlockMeta.Stats(20, 10, 30, 0));

    /** Two blocks, a partial upload, a block marked for deletion and a non-block dir. */
    static void populate(Bucket b) {
        put(b, A + "/meta.json", META_A.toJson());
        put(b, A + "/chunks/000001", new byte[] {1});
        put(b, B + "/meta.json", META_B.toJson());
        put(b, B + "/deletion-mark.json", "{}".getBytes(StandardCharsets.UTF_8));
        put(b, C + "/index", new byte[] {1});
        put(b, "debug/meta-syncer/x", new byte[] {1});
    }

    static void put(Bucket b, String name, byte[] data) {
        b.upload(name, new ByteArrayInputStream(data));
    }

    String fsConfig() throws Exception {
        Path yaml = dir.resolve("bucket.yml");
        Files.writeString(yaml, "type: FILESYSTEM\nconfig:\n  directory: " + dir.resolve("bkt") + "\n");
        try (Bucket b = BucketFactory.create(Files.readString(yaml), new SimpleMeterRegistry())) {
            populate(b);
        }
        return "--objstore.config-file=" + yaml;
    }

    static final String TABLE = """
            |            ULID            |         FROM         |        UNTIL         |  RANGE  | UNTIL-DOWN | #SERIES | #SAMPLES  | #CHUNKS | COMP-LEVEL | COMP-FAILED |        LABELS        | RESOLUTION |  SOURCE   |
            |----------------------------|----------------------|----------------------|---------|------------|---------|-----------|---------|------------|-------------|----------------------|------------|-----------|
            | 01HQBBBBBBBBBBBBBBBBBBBBBB | 2023-11-03T08:26:40Z | 2023-11-05T08:26:40Z | 48h0m0s | 192h0m0s   | 10      | 20        | 30      | 3          | true        | cluster=us           | 5m0s       | compactor |
            | 01HQAAAAAAAAAAAAAAAAAAAAAA | 2023-11-14T22:13:20Z | 2023-11-15T00:13:20Z | 2h0m0s  | 38h0m0s    | 1,234   | 1,234,567 | 12,345  | 1          | false       | cluster=eu,replica=a | 0s         | sidecar   |
            """;

    @Test
    void lsPrintsCompleteBlocks() throws Exception {
        String cfg = fsConfig();
        // A corrupted meta.json is skipped with a warning, as Thanos's fetcher does.
        try (Bucket b = BucketFactory.create("type: FILESYSTEM\nconfig:\n  directory: " + dir.resolve("bkt") + "\n",
                new SimpleMeterRegistry())) {
            put(b, "01HQDDDDDDDDDDDDDDDDDDDDDD/meta.json", "{not json".getBytes(StandardCharsets.UTF_8));
        }
        Run r = run("ls", cfg);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(A + "\n" + B + "\n");

        assertThat(run("ls", cfg, "--exclude-delete").out()).isEqualTo(A + "\n");
        assertThat(run("ls", cfg, "--min-time=2023-11-10T00:00:00Z").out()).isEqualTo(A + "\n");
        assertThat(run("ls", cfg, "--max-time=2023-11-10T00:00:00Z").out()).isEqualTo(B + "\n");
        assertThat(run("ls", cfg, "--min-time=-1d").out()).isEmpty();
    }

    @Test
    void lsWideAndJson() throws Exception {
        String cfg = fsConfig();
        assertThat(run("ls", cfg, "-o", "wide").out()).isEqualTo(
                A + " -- 2023-11-14T22:13:20Z - 2023-11-15T00:13:20Z Diff: 2h0m0s, Compaction: 1, Downsample: 0, Source: sidecar\n"
                + B + " -- 2023-11-03T08:26:40Z - 2023-11-05T08:26:40Z Diff: 48h0m0s, Compaction: 3, Downsample: 300000, Source: compactor\n");
        Run json = run("ls", cfg, "--output=json");
        assertThat(json.out()).isEqualTo(new String(META_A.toJson(), StandardCharsets.UTF_8) + new String(META_B.toJson(), StandardCharsets.UTF_8));
        assertThat(json.out()).startsWith("{\n\t\"ulid\": \"" + A + "\",");
    }

    @Test
    void inspectPrintsThanosTable() throws Exception {
        String cfg = fsConfig();
        Run r = run("inspect", cfg);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(TABLE);

        Run sorted = run("inspect", cfg, "--sort-by", "#SERIES");
        assertThat(sorted.out().lines().skip(2).map(l -> l.substring(2, 28)).toList()).containsExactly(B, A);
        Run byUntilDown = run("inspect", cfg, "--sort-by=UNTIL-DOWN");
        assertThat(byUntilDown.out().lines().skip(2).map(l -> l.substring(2, 28)).toList()).containsExactly(A, B);

        Run selected = run("inspect", cfg, "-l", "cluster=\"eu\"");
        assertThat(selected.out().lines().count()).isEqualTo(3);
        assertThat(selected.out()).contains(A).doesNotContain(B);

        Run csv = run("inspect", cfg, "--output=csv", "-l", "replica=\"a\"");
        assertThat(csv.out()).isEqualTo("ULID,FROM,UNTIL,RANGE,UNTIL-DOWN,#SERIES,#SAMPLES,#CHUNKS,COMP-LEVEL,COMP-FAILED,LABELS,RESOLUTION,SOURCE\n"
                + A + ",2023-11-14T22:13:20Z,2023-11-15T00:13:20Z,2h0m0s,38h0m0s,\"1,234\",\"1,234,567\",\"12,345\",1,false,"
                + "\"cluster=eu,replica=a\",0s,sidecar\n");
        Run tsv = run("inspect", cfg, "--output=tsv", "-l", "cluster=\"us\"");
        assertThat(tsv.out()).endsWith(B + "\t2023-11-03T08:26:40Z\t2023-11-05T08:26:40Z\t48h0m0s\t192h0m0s\t10\t20\t30\t3\ttrue\tcluster=us\t5m0s\tcompactor\n");
    }

    @Test
    void errorsAreOneLineWithExitCodes() throws Exception {
        Run none = run("ls");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("error: no object store configured: set --objstore.config-file or --objstore.config\n");

        Run bad = run("inspect", "--objstore.config=type: NOPE");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("error: objstore config: unknown type \"NOPE\"; supported types are S3, GCS, AZURE, FILESYSTEM (line 1, column 7)\n");

        String cfg = fsConfig();
        assertThat(run("inspect", cfg, "--sort-by=NOPE").err()).startsWith("error: flag --sort-by: column NOPE not found");
        assertThat(run("inspect", cfg, "-l", "cluster=eu").err()).startsWith("error: flag --selector: the value of cluster must be quoted");
        assertThat(run("ls", cfg, "-o", "{{.ULID}}").err()).startsWith("error: flag --output: unsupported format");
        assertThat(run("ls", cfg, "--min-time=yesterday").err())
                .isEqualTo("error: flag --min-time: expected an RFC 3339 time or a duration such as -1d or 2h45m, got \"yesterday\"\n");
        Run noSub = run();
        assertThat(noSub.exit()).isNotZero();
    }

    @Test
    @Tag("integration")
    void lsAndInspectAgainstS3Proxy() {
        try (S3ProxyServer s3 = new S3ProxyServer()) {
            s3.createBucket("blocks");
            String yaml = s3.yaml("blocks", "prefix: tenant-1\n");
            try (Bucket b = BucketFactory.create(yaml, new SimpleMeterRegistry())) {
                populate(b);
            }
            Run ls = run("ls", "--objstore.config=" + yaml);
            assertThat(ls.exit()).as(ls.err()).isZero();
            assertThat(ls.out()).isEqualTo(A + "\n" + B + "\n");
            assertThat(run("inspect", "--objstore.config=" + yaml).out()).isEqualTo(TABLE);

            Run missing = run("ls", "--objstore.config=" + s3.yaml("no-such-bucket", ""));
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).isEqualTo("error: s3: bucket no-such-bucket at endpoint http://" + s3.endpoint()
                    + ": bucket does not exist\n");
        }
    }

    @Test
    void goFormatting() {
        assertThat(GoFormat.millis(0)).isEqualTo("0s");
        assertThat(GoFormat.millis(7_200_000)).isEqualTo("2h0m0s");
        assertThat(GoFormat.millis(90_000)).isEqualTo("1m30s");
        assertThat(GoFormat.millis(1_500)).isEqualTo("1.5s");
        assertThat(GoFormat.millis(500)).isEqualTo("500ms");
        assertThat(GoFormat.millis(-8 * 3_600_000L)).isEqualTo("-8h0m0s");
        assertThat(GoFormat.duration(1_500)).isEqualTo("1.5µs");
        assertThat(GoFormat.duration(999)).isEqualTo("999ns");
        assertThat(GoFormat.grouped(1_234_567)).isEqualTo("1,234,567");
        assertThat(GoFormat.time(-1_500, ZoneOffset.UTC)).isEqualTo("1969-12-31T23:59:59Z");
        assertThat(GoFormat.time(0, ZoneOffset.ofHours(2))).isEqualTo("1970-01-01T02:00:00+02:00");
        List<String> ids = new ArrayList<>(List.of(A, "01hqaaaaaaaaaaaaaaaaaaaaaa", "81HQAAAAAAAAAAAAAAAAAAAAAA", "01HQAAAAAAAAAAAAAAAAAAAAAI", "x"));
        ids.removeIf(s -> !BlockMetaFetcher.isUlid(s));
        assertThat(ids).containsExactly(A, "01hqaaaaaaaaaaaaaaaaaaaaaa");
    }
}
