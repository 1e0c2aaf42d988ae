package io.thanosj.shipper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.objstore.ObjectAttributes;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestShipper {
    static final Labels EXT = Labels.of("cluster", "eu1", "replica", "a");

    @TempDir
    Path tmp;
    Path data;
    Recording bucket;
    PrometheusMeterRegistry registry;

    @BeforeEach
    void setUp() throws Exception {
        data = Files.createDirectories(tmp.resolve("data"));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bucket = new Recording(BucketFactory.create("type: FILESYSTEM\nconfig:\n  directory: " + tmp.resolve("bucket") + "\n",
                registry));
    }

    @AfterEach
    void tearDown() {
        bucket.close();
    }

    /** A block as Prometheus leaves it; the shipper never parses index or chunks. */
    static String block(Path data, long mint, long maxt, int level, long samples) throws Exception {
        String id = BlockMeta.newUlid();
        Path dir = Files.createDirectories(data.resolve(id).resolve("chunks"));
        Files.write(dir.resolve("000001"), new byte[1000 + level]);
        Files.write(dir.resolve("000002"), new byte[10]);
        Files.write(data.resolve(id).resolve("index"), new byte[333]);
        BlockMeta m = BlockMeta.newBlock(id, mint, maxt, new BlockMeta.Stats(samples, 1, 1, 0));
        if (level > 1) {
            m = m.withCompaction(new BlockMeta.Compaction(level, List.of(id), List.of(), false, false, List.of()));
        }
        m.writeToDir(data.resolve(id));
        return id;
    }

    Shipper shipper(boolean compacted) {
        return new Shipper(bucket, data, () -> EXT, Shipper.Options.sidecar(compacted), registry);
    }

    BlockMeta bucketMeta(String id) throws Exception {
        try (InputStream in = bucket.get(id + "/meta.json")) {
            return BlockMeta.read(in, id);
        }
    }

    @Test
    void uploadsEachCompleteLevelOneBlockOnceMetaLast() throws Exception {
        String b2 = block(data, 7_200_000, 14_400_000, 1, 100);
        String b1 = block(data, 0, 7_200_000, 1, 100);
        String compacted = block(data, 14_400_000, 28_800_000, 2, 100);
        String empty = block(data, 28_800_000, 36_000_000, 1, 0);
        // Being written (temporary name) and being deleted (no meta.json): left alone.
        Files.createDirectories(data.resolve(BlockMeta.newUlid() + ".tmp-for-creation").resolve("chunks"));
        Files.createDirectories(data.resolve(BlockMeta.newUlid()).resolve("chunks"));

        assertThat(shipper(false).sync()).isEqualTo(2);
        assertThat(bucket.uploads).containsExactly(
                b1 + "/chunks/000001", b1 + "/chunks/000002", b1 + "/index", b1 + "/meta.json",
                b2 + "/chunks/000001", b2 + "/chunks/000002", b2 + "/index", b2 + "/meta.json");
        BlockMeta m = bucketMeta(b1);
        assertThat(m.thanos().labels()).isEqualTo(Map.of("cluster", "eu1", "replica", "a"));
        assertThat(m.thanos().source()).isEqualTo("sidecar");
        assertThat(m.thanos().downsampleResolution()).isZero();
        assertThat(m.thanos().segmentFiles()).containsExactly("000001", "000002");
        assertThat(m.thanos().files()).containsExactly(new BlockMeta.File("chunks/000001", 1001),
                new BlockMeta.File("chunks/000002", 10), new BlockMeta.File("index", 333), new BlockMeta.File("meta.json", 0));
        assertThat(m.thanos().uploadTime()).isNotNull();
        assertThat(m.stats().numSamples()).isEqualTo(100);

        assertThat(Files.readString(data.resolve("thanos.shipper.json")))
                .isEqualTo("{\n\t\"version\": 1,\n\t\"uploaded\": [\n\t\t\"" + b1 + "\",\n\t\t\"" + b2 + "\"\n\t]\n}\n");
        assertThat(Files.exists(data.resolve("thanos/upload").resolve(b1))).isFalse();
        assertThat(bucket.exists(compacted + "/meta.json")).isFalse();
        assertThat(bucket.exists(empty + "/meta.json")).isFalse();

        // Next round and a restart upload nothing again.
        int before = bucket.uploads.size();
        assertThat(shipper(false).sync()).isZero();
        assertThat(shipper(false).sync()).isZero();
        assertThat(bucket.uploads).hasSize(before);
        String scrape = registry.scrape();
        assertThat(scrape).contains("thanos_shipper_uploads_total 2.0").contains("thanos_shipper_dir_syncs_total 3.0");
    }

    @Test
    void withoutTheRecordBlocksAlreadyInTheBucketAreNotUploadedAgain() throws Exception {
        block(data, 0, 7_200_000, 1, 5);
        assertThat(shipper(false).sync()).isEqualTo(1);
        Files.delete(data.resolve("thanos.shipper.json"));
        int before = bucket.uploads.size();
        assertThat(shipper(false).sync()).isZero();
        assertThat(bucket.uploads).hasSize(before);
        assertThat(shipper(false).uploadedBlocks()).hasSize(1);
    }

    @Test
    void aFailedUploadEndsTheRoundAndIsRetriedNextRound() throws Exception {
        String b1 = block(data, 0, 7_200_000, 1, 5);
        String b2 = block(data, 7_200_000, 14_400_000, 1, 5);
        bucket.failOn = b1 + "/index";
        Shipper s = shipper(false);
        assertThatThrownBy(s::sync).isInstanceOf(ThanosException.class).hasMessageContaining(b1 + "/index");
        assertThat(bucket.exists(b1 + "/meta.json")).isFalse();
        assertThat(bucket.exists(b2 + "/meta.json")).isFalse();
        assertThat(registry.scrape()).contains("thanos_shipper_upload_failures_total 1.0")
                .contains("thanos_shipper_dir_sync_failures_total 1.0");
        bucket.failOn = null;
        assertThat(s.sync()).isEqualTo(2);
        assertThat(bucketMeta(b1).ulid()).isEqualTo(b1);
        assertThat(s.uploadedBlocks()).containsExactly(b1, b2);
    }

    @Test
    void compactedBlocksOnlyWhenAskedAndNotOverBlocksInTheBucket() throws Exception {
        String b1 = block(data, 0, 7_200_000, 1, 5);
        assertThat(shipper(false).sync()).isEqualTo(1);
        // A compacted block over the same range, e.g. Prometheus compacted before the upload flag was set.
        String c = block(data, 0, 14_400_000, 2, 10);
        assertThat(shipper(false).sync()).isZero();
        assertThatThrownBy(() -> shipper(true).sync()).isInstanceOf(ThanosException.class)
                .hasMessageContaining("shipping compacted block " + c).hasMessageContaining(b1);
        String c2 = block(data, 14_400_000, 28_800_000, 3, 10);
        BlockUpload.deleteRecursively(data.resolve(c));
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThat(new Shipper(bucket, data, () -> EXT, Shipper.Options.sidecar(true), own).sync()).isEqualTo(1);
        assertThat(bucketMeta(c2).compaction().level()).isEqualTo(3);
        assertThat(own.scrape()).contains("thanos_shipper_upload_compacted_done 1.0");
    }

    @Test
    void sha256HashesAndCorruptMetaAreReported() throws Exception {
        String b1 = block(data, 0, 7_200_000, 1, 5);
        Shipper s = new Shipper(bucket, data, () -> EXT, new Shipper.Options("sidecar", false, null, "SHA256"), registry);
        s.sync();
        BlockMeta.File idx = bucketMeta(b1).thanos().files().stream().filter(f -> f.relPath().equals("index")).findFirst().orElseThrow();
        assertThat(idx.hash().hashFunc()).isEqualTo("SHA256");
        assertThat(idx.hash().value())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[333])));
        String bad = block(data, 7_200_000, 14_400_000, 1, 5);
        Files.writeString(data.resolve(bad).resolve("meta.json"), "{not json");
        assertThatThrownBy(s::sync).isInstanceOf(ThanosException.class).hasMessageContaining("read metadata for block")
                .hasMessageContaining(bad);
        assertThatThrownBy(() -> new Shipper.Options("sidecar", false, null, "MD5")).hasMessageContaining("--hash-func");
    }

    @Test
    void refusesBlocksWithoutExternalLabels() throws Exception {
        block(data, 0, 7_200_000, 1, 5);
        Shipper s = new Shipper(bucket, data, () -> Labels.EMPTY, Shipper.Options.sidecar(false), registry);
        assertThatThrownBy(s::sync).isInstanceOf(ThanosException.class).hasMessageContaining("empty external labels");
    }

    /** Records uploads in order; can fail one object name. */
    static final class Recording implements Bucket {
        final Bucket b;
        final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
        volatile String failOn;

        Recording(Bucket b) {
            this.b = b;
        }

        @Override
        public void iter(String dir, boolean recursive, Consumer<String> visitor) {
            b.iter(dir, recursive, visitor);
        }

        @Override
        public InputStream get(String name) {
            return b.get(name);
        }

        @Override
        public InputStream getRange(String name, long offset, long length) {
            return b.getRange(name, offset, length);
        }

        @Override
        public boolean exists(String name) {
            return b.exists(name);
        }

        @Override
        public ObjectAttributes attributes(String name) {
            return b.attributes(name);
        }

        @Override
        public void upload(String name, InputStream in) {
            if (name.equals(failOn)) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "upload " + name + ": connection reset");
            }
            uploads.add(name);
            b.upload(name, in);
        }

        @Override
        public void delete(String name) {
            b.delete(name);
        }

        @Override
        public String name() {
            return b.name();
        }

        @Override
        public void close() {
            b.close();
        }
    }
}
