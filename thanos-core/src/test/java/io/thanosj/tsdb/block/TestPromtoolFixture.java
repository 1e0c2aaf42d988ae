package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A block made by promtool 2.42 (test resources): read identically, rewritten byte for byte. */
@Tag("unit")
class TestPromtoolFixture {
    static Path fixture() throws URISyntaxException {
        return Path.of(TestPromtoolFixture.class.getResource("/tsdb/promtool-2.42").toURI());
    }

    @Test
    void readsWhatPromtoolDumps() throws Exception {
        String dump;
        try (InputStream in = new GZIPInputStream(TestPromtoolFixture.class.getResourceAsStream("/tsdb/promtool-2.42/dump.txt.gz"))) {
            dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var want = PromTools.parseDump(dump);
        assertThat(want).hasSize(12);
        PromTools.assertSameData(PromTools.readAll(fixture()), want);
    }

    @Test
    void rewritesIndexAndChunksByteForByte(@TempDir Path tmp) throws Exception {
        for (Path b : PromTools.blockDirs(fixture())) {
            PromTools.assertByteExactRewrite(b, tmp.resolve(b.getFileName()));
        }
    }

    @Test
    void readsPrometheusMetaJson() throws Exception {
        Path b = PromTools.blockDirs(fixture()).get(0);
        BlockMeta m = BlockMeta.readFromDir(b);
        assertThat(m.ulid()).isEqualTo(b.getFileName().toString());
        assertThat(m.stats().numSeries()).isEqualTo(12);
        assertThat(m.stats().numSamples()).isEqualTo(1800);
        assertThat(m.thanos()).isEqualTo(BlockMeta.Thanos.EMPTY);
    }
}
