package io.thanosj.shipper;

import com.github.f4b6a3.ulid.Ulid;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thanos's shipper: finds the blocks in a TSDB data directory and uploads each new one to the
 * bucket once, oldest first. Only complete blocks are considered (directories named by a ULID
 * holding a meta.json; Prometheus writes blocks under a temporary name and renames them when done),
 * only level-1 blocks unless {@code uploadCompacted}, and never empty ones. Uploaded ULIDs are
 * recorded in {@code thanos.shipper.json} in the data directory, so a restart uploads nothing
 * twice; a block whose meta.json is already in the bucket is recorded without uploading.
 *
 * <p>A failed upload ends the round with an error and is retried next round, so blocks reach
 * the bucket in time order (a later block never overtakes a failed one). Compacted blocks are
 * checked against overlapping blocks already in the bucket with the same external labels.
 * Not thread-safe: one loop calls {@link #sync()}.
 */
public final class Shipper {
    private static final Logger log = LoggerFactory.getLogger(Shipper.class);

    /**
     * @param source          Thanos's source name in meta.json ("sidecar", "receive", "ruler")
     * @param uploadCompacted upload blocks of any compaction level (for migrations)
     * @param metaFileName    name of the upload record in the data directory
     * @param hashFunc        "SHA256" to record file hashes in meta.json, or null
     */
    public record Options(String source, boolean uploadCompacted, String metaFileName, String hashFunc) {
        public Options {
            Objects.requireNonNull(source, "source");
            metaFileName = metaFileName == null || metaFileName.isEmpty() ? ShipperMeta.DEFAULT_FILENAME : metaFileName;
            if (hashFunc != null && hashFunc.isEmpty()) {
                hashFunc = null;
            }
            if (hashFunc != null && !hashFunc.equals("SHA256")) {
                throw ThanosException.badData("invalid --hash-func \"" + hashFunc + "\": want \"\" or \"SHA256\"");
            }
        }

        public static Options sidecar(boolean uploadCompacted) {
            return new Options("sidecar", uploadCompacted, null, null);
        }
    }

    private final Bucket bucket;
    private final Path dataDir;
    private final Supplier<Labels> labels;
    private final Options opts;
    private final Counter dirSyncs;
    private final Counter dirSyncFailures;
    private final Counter uploads;
    private final Counter uploadFailures;
    private final Counter corruptedBlocks;
    private final AtomicLong uploadedCompacted = new AtomicLong();

    public Shipper(Bucket bucket, Path dataDir, Supplier<Labels> labels, Options opts, MeterRegistry registry) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.opts = Objects.requireNonNull(opts, "opts");
        dirSyncs = Counter.builder("thanos.shipper.dir.syncs").description("Total number of dir syncs").register(registry);
        dirSyncFailures = Counter.builder("thanos.shipper.dir.sync.failures").description("Total number of failed dir syncs")
                .register(registry);
        uploads = Counter.builder("thanos.shipper.uploads").description("Total number of uploaded blocks").register(registry);
        uploadFailures = Counter.builder("thanos.shipper.upload.failures").description("Total number of block upload failures")
                .register(registry);
        corruptedBlocks = Counter.builder("thanos.shipper.corrupted.blocks").description("Total number of corrupted blocks")
                .register(registry);
        Gauge.builder("thanos.shipper.upload.compacted.done", uploadedCompacted, AtomicLong::get)
                .description("If 1 it means shipper uploaded all compacted blocks from the filesystem.").register(registry);
    }

    public Path metaFile() {
        return dataDir.resolve(opts.metaFileName);
    }

    /**
     * One round: uploads every block not uploaded yet and records them. Returns how many blocks
     * were uploaded; throws {@link ThanosException} naming the block when one failed (the blocks
     * uploaded before it stay recorded).
     */
    public int sync() {
        boolean ok = false;
        try {
            int n = doSync();
            ok = true;
            return n;
        } finally {
            (ok ? dirSyncs : dirSyncFailures).increment();
        }
    }

    private int doSync() {
        Set<String> recorded = new HashSet<>();
        try {
            recorded.addAll(ShipperMeta.read(metaFile()));
        } catch (ThanosException e) {
            // The record only saves bucket lookups; without it every block is checked in the bucket.
            if (e.code() != ErrorCode.NOT_FOUND) {
                log.atWarn().addKeyValue("err", e.getMessage()).log("ignoring unreadable shipper meta file");
            }
        }
        List<BlockMeta> metas = localBlocks();
        Set<String> uploaded = new HashSet<>();
        int count = 0;
        OverlapCheck overlap = null;
        try {
            for (BlockMeta m : metas) {
                if (recorded.contains(m.ulid())) {
                    uploaded.add(m.ulid());
                    continue;
                }
                if (m.stats().numSamples() == 0) {
                    continue;
                }
                if (m.compaction().level() > 1 && !opts.uploadCompacted) {
                    continue;
                }
                if (bucket.exists(m.ulid() + "/" + BlockMeta.FILENAME)) {
                    uploaded.add(m.ulid());
                    continue;
                }
                Labels ext = labels.get();
                if (m.compaction().level() > 1) {
                    if (overlap == null) {
                        overlap = OverlapCheck.load(bucket, ext);
                    }
                    overlap.check(m);
                }
                log.atInfo().addKeyValue("block", m.ulid()).log("upload new block");
                try {
                    BlockUpload.upload(bucket, dataDir, m, ext.toMap(), opts.source, opts.hashFunc);
                } catch (ThanosException e) {
                    uploadFailures.increment();
                    throw e;
                }
                uploaded.add(m.ulid());
                uploads.increment();
                count++;
            }
        } finally {
            // Rebuilt from blocks that still exist locally, oldest first, as in Thanos; kept even
            // when the round failed half-way.
            List<String> record = new ArrayList<>();
            for (BlockMeta m : metas) {
                if (uploaded.contains(m.ulid()) || recorded.contains(m.ulid())) {
                    record.add(m.ulid());
                }
            }
            try {
                ShipperMeta.write(metaFile(), record);
            } catch (ThanosException e) {
                log.atWarn().addKeyValue("err", e.getMessage()).log("updating shipper meta file failed");
            }
        }
        uploadedCompacted.set(opts.uploadCompacted ? 1 : 0);
        return count;
    }

    /** Complete local blocks, oldest first. */
    private List<BlockMeta> localBlocks() {
        List<BlockMeta> out = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dataDir)) {
            dirs = s.filter(p -> Ulid.isValid(p.getFileName().toString()) && Files.isDirectory(p)).toList();
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "list blocks in " + dataDir + ": " + e, e);
        }
        for (Path d : dirs) {
            if (!Files.exists(d.resolve(BlockMeta.FILENAME))) {
                continue; // being deleted, or not written by Prometheus
            }
            try {
                out.add(BlockMeta.readFromDir(d));
            } catch (ThanosException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    continue; // deleted since listing
                }
                corruptedBlocks.increment();
                throw new ThanosException(e.code(), "read metadata for block " + d + ": " + e.getMessage(), e);
            }
        }
        out.sort(Comparator.comparingLong(BlockMeta::minTime));
        return out;
    }

    /** ULIDs recorded as uploaded; empty when the record is missing or unreadable. */
    public List<String> uploadedBlocks() {
        try {
            return ShipperMeta.read(metaFile());
        } catch (ThanosException e) {
            return List.of();
        }
    }

    /** Blocks in the bucket with this shipper's labels, to refuse compacted blocks that overlap them. */
    private record OverlapCheck(List<BlockMeta> metas) {
        static OverlapCheck load(Bucket bucket, Labels ext) {
            log.atInfo().log("gathering all existing blocks from the remote bucket for check");
            List<BlockMeta> metas = new ArrayList<>();
            List<String> dirs = new ArrayList<>();
            bucket.iter("", dirs::add);
            for (String d : dirs) {
                String id = d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
                if (!Ulid.isValid(id)) {
                    continue;
                }
                BlockMeta m;
                try (InputStream in = bucket.get(id + "/" + BlockMeta.FILENAME)) {
                    m = BlockMeta.read(in, id);
                } catch (IOException e) {
                    throw new ThanosException(ErrorCode.UNAVAILABLE, "read meta.json of block " + id + " from bucket: " + e, e);
                } catch (RuntimeException e) {
                    if (Bucket.isObjNotFound(e)) {
                        continue; // partial upload
                    }
                    throw e;
                }
                if (m.thanos().externalLabels().equals(ext)) {
                    metas.add(m);
                }
            }
            return new OverlapCheck(metas);
        }

        void check(BlockMeta m) {
            for (BlockMeta o : metas) {
                if (m.minTime() < o.maxTime() && o.minTime() < m.maxTime()) {
                    throw new ThanosException(ErrorCode.EXECUTION, "shipping compacted block " + m.ulid()
                            + " is blocked; overlap spotted with block " + o.ulid() + " [" + o.minTime() + ", "
                            + o.maxTime() + ") in the bucket");
                }
            }
        }
    }
}
