package io.thanosj.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.tsdb.block.BlockWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store command over a FILESYSTEM bucket of Prometheus blocks, and its flag checks. */
@Tag("unit")
class TestStoreCommand {
    @TempDir
    Path tmp;

    @Test
    void servesPrometheusBlocksFromAFilesystemBucketOnceSynced() throws Exception {
        Path bucket = Files.createDirectories(tmp.resolve("bucket"));
        try (BlockWriter w = new BlockWriter(bucket)) {
            long[] ts = {1000, 2000, 3000};
            double[] vs = {1, 2, 3};
            w.addSeries(Labels.of("__name__", "up", "job", "a"), ts, vs, 3);
            w.addSeries(Labels.of("__name__", "up", "job", "b"), ts, vs, 3);
            w.finish();
        }
        String cfg = "--objstore.config=type: FILESYSTEM\nconfig:\n  directory: " + bucket + "\n";
        try (StoreE2E.Store s = new StoreE2E.Store(cfg, "--data-dir=" + tmp.resolve("data"),
                "--selector.relabel-config=- action: keep\n  source_labels: [__block_id]\n  regex: .+\n")) {
            s.awaitReady(Duration.ofSeconds(20));
            SeriesRequest r = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(5000)
                    .addAllMatchers(Requests.toProto(List.of(Matcher.of(MatchType.EQUAL, "__name__", "up")))).build();
            List<SeriesSets.Entry> got = SeriesSets.drain(s.cmd.bucketStore().series(r));
            assertThat(got).extracting(e -> e.labels().get("job")).containsExactly("a", "b");
            assertThat(s.cmd.bucketStore().info().maxTime()).isEqualTo(3000);
        }
    }

    @Test
    void badFlagsFailBeforeAnythingListens() {
        String cfg = "--objstore.config=type: FILESYSTEM\nconfig:\n  directory: " + tmp + "\n";
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--min-time=2020-01-02T00:00:00Z", "--max-time=2020-01-01T00:00:00Z"))
                .isInstanceOf(ThanosException.class).hasMessageContaining("--min-time '2020-01-02T00:00:00Z' can't be greater than --max-time");
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--min-time=sometime"))
                .isInstanceOf(ThanosException.class).hasMessageContaining("invalid --min-time \"sometime\"");
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--selector.relabel-config=- action: hashmod\n"))
                .hasMessageContaining("requires non-zero modulus");
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--index-cache.config=type: NOPE\n"))
                .hasMessageContaining("index cache config: unsupported type \"NOPE\"");
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--index-cache.config=type: IN-MEMORY",
                "--index-cache.config-file=" + tmp.resolve("x.yml")))
                .hasMessageContaining("--index-cache.config-file and --index-cache.config are mutually exclusive");
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--store.caching-bucket.config-file=" + tmp.resolve("missing.yml")))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> new StoreE2E.Store(cfg, "--store.grpc.downloaded-bytes-limit=lots"))
                .hasMessageContaining("invalid --store.grpc.downloaded-bytes-limit");
    }
}
