package io.thanosj.shipper;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.objstore.S3ProxyServer;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against S3 (S3Proxy in process). */
@Tag("integration")
class TestShipperS3 {
    @TempDir
    Path tmp;

    @Test
    void uploadsToS3AndSkipsWhatIsThere() throws Exception {
        try (S3ProxyServer s3 = new S3ProxyServer()) {
            s3.createBucket("blocks");
            PrometheusMeterRegistry reg = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Path data = Files.createDirectories(tmp.resolve("data"));
            String id = TestShipper.block(data, 0, 7_200_000, 1, 42);
            try (Bucket b = BucketFactory.create(s3.yaml("blocks", ""), reg)) {
                Shipper s = new Shipper(b, data, () -> TestShipper.EXT, Shipper.Options.sidecar(false), reg);
                assertThat(s.sync()).isEqualTo(1);
                List<String> names = new ArrayList<>();
                b.iter(id, true, names::add);
                assertThat(names).containsExactly(id + "/chunks/000001", id + "/chunks/000002", id + "/index", id + "/meta.json");
                try (InputStream in = b.get(id + "/meta.json")) {
                    BlockMeta m = BlockMeta.read(in, id);
                    assertThat(m.thanos().labels()).isEqualTo(Map.of("cluster", "eu1", "replica", "a"));
                    assertThat(m.thanos().files()).hasSize(4);
                }
                Files.delete(s.metaFile());
                assertThat(s.sync()).isZero();
                assertThat(s.uploadedBlocks()).containsExactly(id);
            }
        }
    }
}
