package io.thanosj.cli.tools;

import static io.thanosj.cli.tools.TestBucketCommand.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.cli.tools.TestBucketCommand.Run;
import io.thanosj.model.Labels;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockSeriesSet;
import io.thanosj.tsdb.block.BlockWriter;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bucket verify} and {@code bucket rewrite} run in-process against a FILESYSTEM bucket whose
 * directory is written like a Prometheus data directory: real blocks (as Thanos uploads them or
 * as Prometheus leaves them), a WAL directory and a lock file.
 */
@Tag("unit")
class TestBucketVerifyRewriteCommands {
    @TempDir
    Path dir;

    Path bkt() {
        return dir.resolve("data");
    }

    String cfg() {
        return "--objstore.config=type: FILESYSTEM\nconfig:\n  directory: " + bkt() + "\n";
    }

    /** A block of 3 series (job j0..j2) with 200 samples every second from {@code from}. */
    BlockMeta block(long from, Map<String, String> ext) throws Exception {
        Files.createDirectories(bkt().resolve("wal"));
        Files.writeString(bkt().resolve("lock"), "");
        try (BlockWriter w = new BlockWriter(bkt())) {
            if (!ext.isEmpty()) {
                w.thanos(BlockMeta.Thanos.of(ext, 0, "sidecar"));
            }
            for (int s = 0; s < 3; s++) {
                long[] t = new long[200];
                double[] v = new double[200];
                for (int i = 0; i < t.length; i++) {
                    t[i] = from + i * 1000L;
                    v[i] = s * 1000 + i;
                }
                w.addSeries(Labels.of("__name__", "up", "job", "j" + s), t, v, t.length);
            }
            return w.finish();
        }
    }

    @Test
    void verifyHealthyBucketExitsZero() throws Exception {
        block(0, Map.of("replica", "a"));
        block(200_000, Map.of("replica", "a"));
        Run r = run("verify", cfg());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("verify: no issues found\n");
    }

    @Test
    void verifyReportsCorruptChunkAndOverlapWithBlockAndSeries() throws Exception {
        BlockMeta good = block(0, Map.of("replica", "a"));
        BlockMeta overlapping = block(100_000, Map.of("replica", "a"));
        BlockMeta bad = block(1_000_000, Map.of("replica", "b"));
        // Flip a bit inside the data of the first chunk, which belongs to job j0.
        try (RandomAccessFile f = new RandomAccessFile(bkt().resolve(bad.ulid()).resolve("chunks/000001").toFile(), "rw")) {
            f.seek(40);
            int b = f.read();
            f.seek(40);
            f.write(b ^ 0x01);
        }
        Run r = run("verify", cfg());
        assertThat(r.exit()).isEqualTo(BucketVerifyCommand.PROBLEMS_FOUND);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("overlapped_blocks: block " + good.ulid() + ", " + overlapping.ulid() + ": ");
        assertThat(lines.get(1)).startsWith("index_known_issues: block " + bad.ulid()
                + ", series {__name__=\"up\", job=\"j0\"}: chunk 1 of 2 [1000000, 1119000]: read chunk in "
                + bad.ulid() + "/chunks/000001: checksum mismatch");
        assertThat(lines.get(2)).isEqualTo("verify: 2 issues found");

        // --id restricts the check (no overlap among one block), and --issues picks issues.
        assertThat(run("verify", cfg(), "--id", good.ulid()).exit()).isZero();
        assertThat(run("verify", cfg(), "--issues", "index_known_issues", "--id", good.ulid(), "--id", overlapping.ulid()).exit())
                .isZero();
        Run one = run("verify", cfg(), "--id=" + bad.ulid(), "-i", "index_known_issues");
        assertThat(one.exit()).isEqualTo(BucketVerifyCommand.PROBLEMS_FOUND);
        assertThat(one.out().lines().count()).isEqualTo(2);
    }

    @Test
    void verifyRejectsBadInputOnOneLine() throws Exception {
        block(0, Map.of("replica", "a"));
        assertOneLineError(run("verify", cfg(), "--id", "nope"), "error: flag --id: \"nope\" is not a valid ULID");
        assertOneLineError(run("verify", cfg(), "--id", "01HQAAAAAAAAAAAAAAAAAAAAAA"),
                "error: verify bucket: block 01HQAAAAAAAAAAAAAAAAAAAAAA not found in bucket");
        assertOneLineError(run("verify", cfg(), "--issues", "duplicated_compaction"), "error: verify bucket: unknown issue duplicated_compaction");
        assertOneLineError(run("verify", cfg(), "--repair"), "error: flag --repair: repairing blocks is not supported");
    }

    static final String DELETE = """
            - matchers: '{job="j0"}'
            - matchers: '{__name__="up", job=~"j1|j9"}'
              intervals:
              - mint: 10000
                maxt: 19999
            """;

    @Test
    void rewriteDryRunPrintsWhatWouldBeDeletedAndChangesNothing() throws Exception {
        BlockMeta m = block(0, Map.of("replica", "a"));
        Run r = run("rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config", DELETE);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Deleted {__name__="up", job="j0"} [{-9223372036854775808 9223372036854775807}]
                Deleted {__name__="up", job="j1"} [{10000 19999}]
                dry run: block %s would be rewritten: 1 series deleted, 1 series changed, 210 samples deleted
                dry run finished: nothing was changed; pass --no-dry-run to rewrite
                """.formatted(m.ulid()));
        assertThat(blockDirs()).containsExactly(m.ulid());
    }

    @Test
    void rewriteWritesNewBlockWithRewriteSectionAndMarksSource() throws Exception {
        BlockMeta m = block(0, Map.of("replica", "a"));
        Path conf = dir.resolve("delete.yml");
        Files.writeString(conf, DELETE);
        Run r = run("rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config-file", conf.toString(), "--no-dry-run",
                "--delete-blocks");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> dirs = blockDirs();
        assertThat(dirs).hasSize(2).contains(m.ulid());
        String newId = dirs.get(0).equals(m.ulid()) ? dirs.get(1) : dirs.get(0);
        assertThat(r.out()).contains("block " + m.ulid() + " rewritten as " + newId
                + ": 1 series deleted, 1 series changed, 210 samples deleted; source marked for deletion");
        assertThat(bkt().resolve(m.ulid()).resolve("deletion-mark.json")).exists();
        String meta = Files.readString(bkt().resolve(newId).resolve("meta.json"));
        assertThat(meta).contains("\"rewrites\"", "\"sources\"", "\"deletions_applied\"", "\"bucket.rewrite\"");
        assertThat(samplesPerJob(newId)).containsExactly("j1=190", "j2=200");
    }

    @Test
    void rewritesPrometheusBlocksInADataDirectory() throws Exception {
        BlockMeta m = block(0, Map.of());
        String[] args = {"rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config", "- matchers: '{job=\"j2\"}'",
            "--no-dry-run"};
        // Without --prom-blocks the new block needs external labels, as Thanos requires.
        assertOneLineError(run(args), "empty external labels are not allowed for Thanos blocks");
        List<String> withFlag = new ArrayList<>(List.of(args));
        withFlag.add("--prom-blocks");
        Run r = run(withFlag.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> dirs = blockDirs();
        assertThat(dirs).hasSize(2);
        String newId = dirs.get(0).equals(m.ulid()) ? dirs.get(1) : dirs.get(0);
        assertThat(samplesPerJob(newId)).containsExactly("j0=200", "j1=200");
        assertThat(bkt().resolve("wal")).isDirectory();
    }

    @Test
    void rewriteRejectsBadInputOnOneLine() throws Exception {
        BlockMeta m = block(0, Map.of("replica", "a"));
        assertOneLineError(run("rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config", "- matchers: [unclosed"),
                "error: parse deletion requests:");
        assertOneLineError(run("rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config", "- matchers: '{job=~\"(\"}'"),
                "error: parse deletion requests: request 0: field matchers:");
        assertOneLineError(run("rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config", "- matchers: 'sum(up)'"),
                "error: parse deletion requests: request 0: field matchers: expected a series selector");
        assertOneLineError(run("rewrite", cfg(), "--id", "01HQAAAAAAAAAAAAAAAAAAAAAA", "--rewrite.to-delete-config", DELETE),
                "error: rewrite block 01HQAAAAAAAAAAAAAAAAAAAAAA: block not found in bucket");
        assertOneLineError(run("rewrite", cfg(), "--id", "x", "--rewrite.to-delete-config", DELETE),
                "error: flag --id: \"x\" is not a valid ULID");
        assertOneLineError(run("rewrite", cfg(), "--id", m.ulid()), "rewrite configuration should be provided");
        assertOneLineError(run("rewrite", cfg(), "--id", m.ulid(), "--rewrite.to-delete-config-file", dir.resolve("missing.yml").toString()),
                "error: read --rewrite.to-delete-config-file " + dir.resolve("missing.yml") + ": no such file");
        assertThat(blockDirs()).containsExactly(m.ulid());
    }

    private static void assertOneLineError(Run r, String prefix) {
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(prefix);
    }

    private List<String> blockDirs() throws Exception {
        try (var s = Files.list(bkt())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.length() == 26).sorted().toList();
        }
    }

    private List<String> samplesPerJob(String id) {
        List<String> out = new ArrayList<>();
        try (Block b = Block.open(bkt().resolve(id))) {
            BlockSeriesSet s = b.all();
            while (s.next()) {
                int n = 0;
                var it = s.samples();
                while (it.next()) {
                    n++;
                }
                out.add(s.labels().get("job") + "=" + n);
            }
        }
        return out;
    }
}
