package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestBlockCheck {
    @TempDir
    Path dir;

    private BlockMeta write(int series, Long maxTime) {
        try (BlockWriter w = new BlockWriter(dir)) {
            if (maxTime != null) {
                w.timeRange(0, maxTime);
            }
            for (int s = 0; s < series; s++) {
                long[] t = new long[200];
                double[] v = new double[200];
                for (int i = 0; i < t.length; i++) {
                    t[i] = i * 1000L;
                    v[i] = s + i;
                }
                w.addSeries(Labels.of("__name__", "m", "job", "j" + s), t, v, t.length);
            }
            return w.finish();
        }
    }

    private List<BlockCheck.Problem> check(BlockMeta m) {
        List<BlockCheck.Problem> out = new ArrayList<>();
        try (Block b = Block.open(dir.resolve(m.ulid()))) {
            assertThat(BlockCheck.check(b, out::add)).isEqualTo(out.size());
        }
        return out;
    }

    @Test
    void healthyBlockHasNoProblems() {
        assertThat(check(write(3, null))).isEmpty();
    }

    @Test
    void reportsBadChunkChecksumAndRangeWithTheSeries() throws Exception {
        BlockMeta m = write(2, 150_000L);
        // The first chunk (series j0): segment header 8 bytes, length 1, encoding 1, then data.
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(m.ulid()).resolve("chunks/000001").toFile(), "rw")) {
            f.seek(8 + 2 + 20);
            int b = f.read();
            f.seek(8 + 2 + 20);
            f.write(b ^ 0x10);
        }
        List<BlockCheck.Problem> ps = check(m);
        assertThat(ps).extracting(p -> p.series().get("job") + " " + p.message().replaceAll(", expected .* at offset 8", "")).containsExactly(
                "j0 chunk 1 of 2 [0, 119000]: read chunk in " + m.ulid() + "/chunks/000001: checksum mismatch",
                "j0 chunk 2 of 2 [120000, 199000]: outside the block time range [0, 150000)",
                "j1 chunk 2 of 2 [120000, 199000]: outside the block time range [0, 150000)");
    }
}
