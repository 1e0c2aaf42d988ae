package io.thanosj.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.f4b6a3.ulid.UlidCreator;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A block's {@code meta.json}: Prometheus's {@code tsdb.BlockMeta} plus Thanos's {@code thanos}
 * section, as read and written by Thanos's {@code pkg/block/metadata/meta.go}. Immutable; use the
 * {@code with*} methods to derive changed copies.
 *
 * <p>Reading ignores unknown fields and reports bad input as a {@link io.thanosj.model.ThanosException}
 * naming the block and the field. Writing produces the same layout as Go's {@code json.Encoder} with
 * tab indentation; {@link #writeToDir} replaces the file atomically (temporary file, fsync, rename,
 * fsync of the directory).
 *
 * @param ulid       the block's ULID, 26 upper-case Crockford base32 characters
 * @param minTime    inclusive lower bound of sample timestamps, milliseconds
 * @param maxTime    exclusive upper bound of sample timestamps, milliseconds
 * @param version    meta format version, always 1
 * @param thanos     Thanos's section; a block written by Prometheus reads as {@link Thanos#EMPTY}
 */
public record BlockMeta(String ulid, long minTime, long maxTime, Stats stats, Compaction compaction, int version,
                        Thanos thanos) {
    public static final String FILENAME = "meta.json";
    public static final int VERSION_1 = 1;

    public BlockMeta {
        Objects.requireNonNull(ulid, "ulid");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(compaction, "compaction");
        Objects.requireNonNull(thanos, "thanos");
    }

    /** A fresh level-1 meta for a new block whose only source is itself. */
    public static BlockMeta newBlock(String ulid, long minTime, long maxTime, Stats stats) {
        return new BlockMeta(ulid, minTime, maxTime, stats,
                new Compaction(1, List.of(ulid), List.of(), false, false, List.of()), VERSION_1, Thanos.EMPTY);
    }

    /** A new monotonic ULID for the current time. */
    public static String newUlid() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    public BlockMeta withThanos(Thanos t) {
        return new BlockMeta(ulid, minTime, maxTime, stats, compaction, version, t);
    }

    public BlockMeta withStats(Stats s) {
        return new BlockMeta(ulid, minTime, maxTime, s, compaction, version, thanos);
    }

    public BlockMeta withCompaction(Compaction c) {
        return new BlockMeta(ulid, minTime, maxTime, stats, c, version, thanos);
    }

    public BlockMeta withUlid(String newUlid) {
        return new BlockMeta(newUlid, minTime, maxTime, stats, compaction, version, thanos);
    }

    public BlockMeta withTimeRange(long newMinTime, long newMaxTime) {
        return new BlockMeta(ulid, newMinTime, newMaxTime, stats, compaction, version, thanos);
    }

    /** Parses meta.json; {@code block} names the block in errors (its directory or bucket path). */
    public static BlockMeta read(byte[] json, String block) {
        return MetaJson.read(json, block);
    }

    /** Reads the whole stream and parses it; does not close the stream. */
    public static BlockMeta read(InputStream in, String block) {
        return MetaJson.read(in, block);
    }

    /** Reads {@code <dir>/meta.json}. */
    public static BlockMeta readFromDir(Path dir) {
        return MetaJson.readFromDir(dir);
    }

    /** The JSON encoding, exactly as Thanos writes it (tab indented, trailing newline). */
    public byte[] toJson() {
        return MetaJson.write(this);
    }

    public void write(OutputStream out) throws IOException {
        out.write(toJson());
    }

    /** Writes {@code <dir>/meta.json} atomically: temp file, fsync, rename, fsync of the directory. */
    public void writeToDir(Path dir) {
        MetaJson.writeToDir(this, dir);
    }

    /** Block statistics; zero fields are omitted from the JSON, as in Go. */
    public record Stats(long numSamples, long numSeries, long numChunks, long numTombstones) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0);
    }

    /** A parent block of a compacted block. */
    public record BlockDesc(String ulid, long minTime, long maxTime) {
        public BlockDesc {
            Objects.requireNonNull(ulid, "ulid");
        }
    }

    /** The compaction history: level, source (level-1) blocks and direct parents. */
    public record Compaction(int level, List<String> sources, List<BlockDesc> parents, boolean deletable,
                             boolean failed, List<String> hints) {
        public Compaction {
            sources = List.copyOf(sources);
            parents = List.copyOf(parents);
            hints = List.copyOf(hints);
        }
    }

    /**
     * Thanos's section.
     *
     * @param labels               external labels identifying the producer
     * @param downsampleResolution resolution in milliseconds; 0 for raw data
     * @param source               who uploaded the block ("sidecar", "compactor", ...)
     * @param segmentFiles         deprecated list of chunk segment file names; optional
     * @param files                every file of the block with its size, sorted by path; optional
     * @param rewrites             rewrites (deletions, relabels) applied to the block; optional
     * @param indexStats           largest series and chunk sizes; zero when unknown
     * @param extensions           free-form plug-in data, kept as JSON; null when absent
     * @param uploadTime           RFC 3339 upload time as written by Thanos; null when absent
     */
    public record Thanos(int version, Map<String, String> labels, long downsampleResolution, String source,
                         List<String> segmentFiles, List<File> files, List<Rewrite> rewrites, IndexStats indexStats,
                         JsonNode extensions, String uploadTime) {
        public static final int VERSION_1 = 1;
        public static final Thanos EMPTY = new Thanos(VERSION_1, Map.of(), 0, "", List.of(), List.of(), List.of(),
                IndexStats.EMPTY, null, null);

        public Thanos {
            labels = Map.copyOf(labels);
            Objects.requireNonNull(source, "source");
            segmentFiles = List.copyOf(segmentFiles);
            files = List.copyOf(files);
            rewrites = List.copyOf(rewrites);
            Objects.requireNonNull(indexStats, "indexStats");
        }

        /** The common case: labels, resolution and source, nothing optional. */
        public static Thanos of(Map<String, String> labels, long downsampleResolution, String source) {
            return new Thanos(VERSION_1, labels, downsampleResolution, source, List.of(), List.of(), List.of(),
                    IndexStats.EMPTY, null, null);
        }

        /** External labels as a label set. */
        public Labels externalLabels() {
            return Labels.fromMap(labels);
        }

        public Thanos withFiles(List<File> newFiles) {
            return new Thanos(version, labels, downsampleResolution, source, segmentFiles, newFiles, rewrites,
                    indexStats, extensions, uploadTime);
        }

        public Thanos withLabels(Map<String, String> newLabels) {
            return new Thanos(version, newLabels, downsampleResolution, source, segmentFiles, files, rewrites,
                    indexStats, extensions, uploadTime);
        }

        public Thanos withSource(String newSource) {
            return new Thanos(version, labels, downsampleResolution, newSource, segmentFiles, files, rewrites,
                    indexStats, extensions, uploadTime);
        }

        public Thanos withRewrites(List<Rewrite> newRewrites) {
            return new Thanos(version, labels, downsampleResolution, source, segmentFiles, files, newRewrites,
                    indexStats, extensions, uploadTime);
        }

        public Thanos withIndexStats(IndexStats s) {
            return new Thanos(version, labels, downsampleResolution, source, segmentFiles, files, rewrites, s,
                    extensions, uploadTime);
        }
    }

    /** A file of the block; {@code sizeBytes} is 0 when unknown (meta.json itself). */
    public record File(String relPath, long sizeBytes, ObjectHash hash) {
        public File {
            Objects.requireNonNull(relPath, "relPath");
        }

        public File(String relPath, long sizeBytes) {
            this(relPath, sizeBytes, null);
        }
    }

    /** Optional file hash; Thanos uses {@code SHA256} with a hex value. */
    public record ObjectHash(String hashFunc, String value) {}

    public record IndexStats(long seriesMaxSize, long chunkMaxSize) {
        public static final IndexStats EMPTY = new IndexStats(0, 0);
    }

    /** One rewrite applied to the block by {@code thanos tools bucket rewrite}. */
    public record Rewrite(List<String> sources, List<DeletionRequest> deletionsApplied, JsonNode relabelsApplied) {
        public Rewrite {
            sources = List.copyOf(sources);
            deletionsApplied = List.copyOf(deletionsApplied);
        }
    }

    /** A deletion: series matching all matchers lose the samples in the intervals (all, when empty). */
    public record DeletionRequest(List<Matcher> matchers, List<Interval> intervals, String requestId) {
        public DeletionRequest {
            matchers = List.copyOf(matchers);
            intervals = List.copyOf(intervals);
            Objects.requireNonNull(requestId, "requestId");
        }
    }
}
