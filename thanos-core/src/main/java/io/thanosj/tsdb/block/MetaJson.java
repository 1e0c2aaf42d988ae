package io.thanosj.tsdb.block;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.f4b6a3.ulid.Ulid;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * meta.json codec. Parsing walks a JSON tree by hand (rather than binding) so every error names the
 * field, and follows Go's {@code encoding/json}: unknown fields are ignored, {@code null} and absent
 * fields read as zero values, and field names match case-insensitively when no exact match exists.
 */
final class MetaJson {
    /** meta.json files are a few KiB; anything much larger is not a meta file. */
    static final int MAX_BYTES = 64 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build());

    private MetaJson() {}

    static BlockMeta readFromDir(Path dir) {
        Path file = dir.resolve(BlockMeta.FILENAME);
        String block = String.valueOf(dir.getFileName());
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw fail(block, "file is " + size + " bytes, more than the " + MAX_BYTES + " a meta file may have");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ThanosException(ErrorCode.NOT_FOUND, "read meta.json of block " + block + ": " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read meta.json of block " + block + ": " + e, e);
        }
        return read(bytes, block);
    }

    static BlockMeta read(InputStream in, String block) {
        try {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw fail(block, "more than " + MAX_BYTES + " bytes, not a meta file");
            }
            return read(bytes, block);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read meta.json of block " + block + ": " + e, e);
        }
    }

    static BlockMeta read(byte[] json, String block) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
            String detail = e.getOriginalMessage();
            int src = detail.indexOf(" (start marker at [Source");
            throw fail(block, "malformed JSON" + loc + ": " + (src >= 0 ? detail.substring(0, src) : detail));
        } catch (IOException e) {
            throw fail(block, "malformed JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw fail(block, "empty file");
        }
        if (!root.isObject()) {
            throw fail(block, "expected a JSON object, got " + kind(root));
        }
        Reader r = new Reader(block);
        String ulid = r.ulid(root, "ulid");
        if (!ulid.equals("00000000000000000000000000")) {
            r.block = ulid;
        }
        long minTime = r.int64(root, "minTime");
        long maxTime = r.int64(root, "maxTime");
        JsonNode st = r.object(root, "stats");
        BlockMeta.Stats stats = new BlockMeta.Stats(r.uint64(st, "stats.numSamples"), r.uint64(st, "stats.numSeries"),
                r.uint64(st, "stats.numChunks"), r.uint64(st, "stats.numTombstones"));
        JsonNode c = r.object(root, "compaction");
        List<String> sources = new ArrayList<>();
        for (JsonNode s : r.array(c, "compaction.sources")) {
            sources.add(r.ulidValue(s, "compaction.sources[" + sources.size() + "]"));
        }
        List<BlockMeta.BlockDesc> parents = new ArrayList<>();
        for (JsonNode p : r.array(c, "compaction.parents")) {
            String f = "compaction.parents[" + parents.size() + "]";
            r.requireObject(p, f);
            parents.add(new BlockMeta.BlockDesc(r.ulid(p, f + ".ulid"), r.int64(p, f + ".minTime"), r.int64(p, f + ".maxTime")));
        }
        List<String> hints = new ArrayList<>();
        for (JsonNode h : r.array(c, "compaction.hints")) {
            hints.add(r.stringValue(h, "compaction.hints[" + hints.size() + "]"));
        }
        BlockMeta.Compaction compaction = new BlockMeta.Compaction((int) r.int32(c, "compaction.level"), sources, parents,
                r.bool(c, "compaction.deletable"), r.bool(c, "compaction.failed"), hints);
        int version = (int) r.int32(root, "version");
        if (version != BlockMeta.VERSION_1) {
            throw fail(r.block, "unexpected meta file version " + version);
        }
        BlockMeta.Thanos thanos = readThanos(r, r.object(root, "thanos"));
        return new BlockMeta(ulid, minTime, maxTime, stats, compaction, version, thanos);
    }

    private static BlockMeta.Thanos readThanos(Reader r, JsonNode t) {
        if (t.isMissingNode()) {
            return BlockMeta.Thanos.EMPTY;
        }
        int version = (int) r.int32(t, "thanos.version");
        if (version == 0) {
            version = BlockMeta.Thanos.VERSION_1; // the first version had no explicit number
        }
        if (version != BlockMeta.Thanos.VERSION_1) {
            throw fail(r.block, "unexpected meta file Thanos section version " + version);
        }
        Map<String, String> labels = new TreeMap<>();
        JsonNode l = r.object(t, "thanos.labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), r.stringValue(e.getValue(), "thanos.labels." + e.getKey()));
        }
        long resolution = r.int64(r.object(t, "thanos.downsample"), "thanos.downsample.resolution");
        String source = r.string(t, "thanos.source");
        List<String> segments = new ArrayList<>();
        for (JsonNode s : r.array(t, "thanos.segment_files")) {
            segments.add(r.stringValue(s, "thanos.segment_files[" + segments.size() + "]"));
        }
        List<BlockMeta.File> files = new ArrayList<>();
        for (JsonNode f : r.array(t, "thanos.files")) {
            String p = "thanos.files[" + files.size() + "]";
            r.requireObject(f, p);
            JsonNode h = r.object(f, p + ".hash");
            BlockMeta.ObjectHash hash = h.isMissingNode() ? null
                    : new BlockMeta.ObjectHash(r.string(h, p + ".hash.hashFunc"), r.string(h, p + ".hash.value"));
            files.add(new BlockMeta.File(r.string(f, p + ".rel_path"), r.int64(f, p + ".size_bytes"), hash));
        }
        List<BlockMeta.Rewrite> rewrites = new ArrayList<>();
        for (JsonNode w : r.array(t, "thanos.rewrites")) {
            rewrites.add(readRewrite(r, w, "thanos.rewrites[" + rewrites.size() + "]"));
        }
        JsonNode is = r.object(t, "thanos.index_stats");
        BlockMeta.IndexStats indexStats = new BlockMeta.IndexStats(r.int64(is, "thanos.index_stats.series_max_size"),
                r.int64(is, "thanos.index_stats.chunk_max_size"));
        JsonNode ext = r.field(t, "extensions");
        String upload = r.field(t, "upload_time").isMissingNode() || r.field(t, "upload_time").isNull() ? null
                : r.string(t, "thanos.upload_time");
        return new BlockMeta.Thanos(version, labels, resolution, source, segments, files, rewrites, indexStats,
                ext.isMissingNode() || ext.isNull() ? null : ext, upload);
    }

    private static BlockMeta.Rewrite readRewrite(Reader r, JsonNode w, String path) {
        r.requireObject(w, path);
        List<String> sources = new ArrayList<>();
        for (JsonNode s : r.array(w, path + ".sources")) {
            sources.add(r.ulidValue(s, path + ".sources[" + sources.size() + "]"));
        }
        List<BlockMeta.DeletionRequest> deletions = new ArrayList<>();
        for (JsonNode d : r.array(w, path + ".deletions_applied")) {
            String p = path + ".deletions_applied[" + deletions.size() + "]";
            r.requireObject(d, p);
            List<Matcher> matchers = new ArrayList<>();
            for (JsonNode m : r.array(d, p + ".matchers")) {
                String mp = p + ".matchers[" + matchers.size() + "]";
                r.requireObject(m, mp);
                long type = r.int32(m, mp + ".Type");
                if (type < 0 || type >= MatchType.values().length) {
                    throw fail(r.block, "field \"" + mp + ".Type\": unknown matcher type " + type);
                }
                try {
                    matchers.add(Matcher.of(MatchType.values()[(int) type], r.string(m, mp + ".Name"), r.string(m, mp + ".Value")));
                } catch (IllegalArgumentException e) {
                    throw fail(r.block, "field \"" + mp + ".Value\": " + e.getMessage());
                }
            }
            List<Interval> intervals = new ArrayList<>();
            for (JsonNode i : r.array(d, p + ".intervals")) {
                String ip = p + ".intervals[" + intervals.size() + "]";
                r.requireObject(i, ip);
                intervals.add(new Interval(r.int64(i, ip + ".Mint"), r.int64(i, ip + ".Maxt")));
            }
            deletions.add(new BlockMeta.DeletionRequest(matchers, intervals, r.string(d, p + ".request_id")));
        }
        JsonNode relabels = r.field(w, "relabels_applied");
        return new BlockMeta.Rewrite(sources, deletions, relabels.isMissingNode() || relabels.isNull() ? null : relabels);
    }

    static ThanosException fail(String block, String detail) {
        return ThanosException.corrupted("read meta.json of block " + block + ": " + detail);
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Typed field access with Go's zero-value defaults; {@code path} is the dotted field name for errors. */
    private static final class Reader {
        String block;

        Reader(String block) {
            this.block = block;
        }

        JsonNode field(JsonNode obj, String name) {
            if (!obj.isObject()) {
                return obj.path(name);
            }
            JsonNode v = obj.get(name);
            if (v != null) {
                return v;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return obj.path(name); // MissingNode
        }

        private JsonNode at(JsonNode obj, String path) {
            return field(obj, path.substring(path.lastIndexOf('.') + 1));
        }

        private ThanosException bad(String path, String want, JsonNode got) {
            String shown = got.toString();
            if (shown.length() > 40) {
                shown = shown.substring(0, 40) + "...";
            }
            return fail(block, "field \"" + path + "\": expected " + want + ", got " + kind(got) + " " + shown);
        }

        void requireObject(JsonNode n, String path) {
            if (!n.isObject()) {
                throw bad(path, "an object", n);
            }
        }

        JsonNode object(JsonNode obj, String path) {
            JsonNode n = at(obj, path);
            if (n.isMissingNode() || n.isNull()) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            requireObject(n, path);
            return n;
        }

        Iterable<JsonNode> array(JsonNode obj, String path) {
            JsonNode n = at(obj, path);
            if (n.isMissingNode() || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                throw bad(path, "an array", n);
            }
            return n;
        }

        long int64(JsonNode obj, String path) {
            JsonNode n = at(obj, path);
            if (n.isMissingNode() || n.isNull()) {
                return 0;
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw bad(path, "a 64-bit integer", n);
            }
            return n.longValue();
        }

        long int32(JsonNode obj, String path) {
            long v = int64(obj, path);
            if (v != (int) v) {
                throw fail(block, "field \"" + path + "\": " + v + " is out of range");
            }
            return v;
        }

        long uint64(JsonNode obj, String path) {
            long v = int64(obj, path);
            if (v < 0) {
                throw fail(block, "field \"" + path + "\": expected an unsigned integer, got " + v);
            }
            return v;
        }

        boolean bool(JsonNode obj, String path) {
            JsonNode n = at(obj, path);
            if (n.isMissingNode() || n.isNull()) {
                return false;
            }
            if (!n.isBoolean()) {
                throw bad(path, "a boolean", n);
            }
            return n.booleanValue();
        }

        String string(JsonNode obj, String path) {
            JsonNode n = at(obj, path);
            if (n.isMissingNode() || n.isNull()) {
                return "";
            }
            return stringValue(n, path);
        }

        String stringValue(JsonNode n, String path) {
            if (!n.isTextual()) {
                throw bad(path, "a string", n);
            }
            return n.textValue();
        }

        String ulid(JsonNode obj, String path) {
            JsonNode n = at(obj, path);
            if (n.isMissingNode() || n.isNull()) {
                throw fail(block, "field \"" + path + "\": missing");
            }
            return ulidValue(n, path);
        }

        String ulidValue(JsonNode n, String path) {
            String s = stringValue(n, path);
            if (!Ulid.isValid(s)) {
                throw fail(block, "field \"" + path + "\": \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                        + "\" is not a valid ULID");
            }
            return s.toUpperCase(Locale.ROOT);
        }
    }

    // ---- writing ----

    static byte[] write(BlockMeta m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.setPrettyPrinter(new GoPrettyPrinter());
            writeMeta(g, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory cannot fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeMeta(JsonGenerator g, BlockMeta m) throws IOException {
        g.writeStartObject();
        g.writeStringField("ulid", m.ulid());
        g.writeNumberField("minTime", m.minTime());
        g.writeNumberField("maxTime", m.maxTime());
        g.writeObjectFieldStart("stats");
        nonZero(g, "numSamples", m.stats().numSamples());
        nonZero(g, "numSeries", m.stats().numSeries());
        nonZero(g, "numChunks", m.stats().numChunks());
        nonZero(g, "numTombstones", m.stats().numTombstones());
        g.writeEndObject();
        BlockMeta.Compaction c = m.compaction();
        g.writeObjectFieldStart("compaction");
        g.writeNumberField("level", c.level());
        if (!c.sources().isEmpty()) {
            g.writeArrayFieldStart("sources");
            for (String s : c.sources()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (c.deletable()) {
            g.writeBooleanField("deletable", true);
        }
        if (!c.parents().isEmpty()) {
            g.writeArrayFieldStart("parents");
            for (BlockMeta.BlockDesc p : c.parents()) {
                g.writeStartObject();
                g.writeStringField("ulid", p.ulid());
                g.writeNumberField("minTime", p.minTime());
                g.writeNumberField("maxTime", p.maxTime());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (c.failed()) {
            g.writeBooleanField("failed", true);
        }
        if (!c.hints().isEmpty()) {
            g.writeArrayFieldStart("hints");
            for (String h : c.hints()) {
                g.writeString(h);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeNumberField("version", m.version());
        writeThanos(g, m.thanos());
        g.writeEndObject();
    }

    private static void writeThanos(JsonGenerator g, BlockMeta.Thanos t) throws IOException {
        g.writeObjectFieldStart("thanos");
        if (t.version() != 0) {
            g.writeNumberField("version", t.version());
        }
        g.writeObjectFieldStart("labels");
        // Go marshals maps with sorted keys.
        for (Map.Entry<String, String> e : new TreeMap<>(t.labels()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("downsample");
        g.writeNumberField("resolution", t.downsampleResolution());
        g.writeEndObject();
        g.writeStringField("source", t.source());
        if (!t.segmentFiles().isEmpty()) {
            g.writeArrayFieldStart("segment_files");
            for (String s : t.segmentFiles()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (!t.files().isEmpty()) {
            g.writeArrayFieldStart("files");
            for (BlockMeta.File f : t.files()) {
                g.writeStartObject();
                g.writeStringField("rel_path", f.relPath());
                nonZero(g, "size_bytes", f.sizeBytes());
                if (f.hash() != null) {
                    g.writeObjectFieldStart("hash");
                    g.writeStringField("hashFunc", f.hash().hashFunc());
                    g.writeStringField("value", f.hash().value());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!t.rewrites().isEmpty()) {
            g.writeArrayFieldStart("rewrites");
            for (BlockMeta.Rewrite w : t.rewrites()) {
                writeRewrite(g, w);
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("index_stats");
        nonZero(g, "series_max_size", t.indexStats().seriesMaxSize());
        nonZero(g, "chunk_max_size", t.indexStats().chunkMaxSize());
        g.writeEndObject();
        if (t.extensions() != null) {
            g.writeFieldName("extensions");
            MAPPER.writeTree(g, t.extensions());
        }
        if (t.uploadTime() != null) {
            g.writeStringField("upload_time", t.uploadTime());
        }
        g.writeEndObject();
    }

    private static void writeRewrite(JsonGenerator g, BlockMeta.Rewrite w) throws IOException {
        g.writeStartObject();
        if (!w.sources().isEmpty()) {
            g.writeArrayFieldStart("sources");
            for (String s : w.sources()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (!w.deletionsApplied().isEmpty()) {
            g.writeArrayFieldStart("deletions_applied");
            for (BlockMeta.DeletionRequest d : w.deletionsApplied()) {
                g.writeStartObject();
                g.writeArrayFieldStart("matchers");
                for (Matcher m : d.matchers()) {
                    g.writeStartObject();
                    g.writeNumberField("Type", m.type().ordinal());
                    g.writeStringField("Name", m.name());
                    g.writeStringField("Value", m.value());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (!d.intervals().isEmpty()) {
                    g.writeArrayFieldStart("intervals");
                    for (Interval i : d.intervals()) {
                        g.writeStartObject();
                        g.writeNumberField("Mint", i.mint());
                        g.writeNumberField("Maxt", i.maxt());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                if (!d.requestId().isEmpty()) {
                    g.writeStringField("request_id", d.requestId());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (w.relabelsApplied() != null) {
            g.writeFieldName("relabels_applied");
            MAPPER.writeTree(g, w.relabelsApplied());
        }
        g.writeEndObject();
    }

    private static void nonZero(JsonGenerator g, String name, long v) throws IOException {
        if (v != 0) {
            g.writeNumberField(name, v);
        }
    }

    static void writeToDir(BlockMeta m, Path dir) {
        Path file = dir.resolve(BlockMeta.FILENAME);
        Path tmp = dir.resolve(BlockMeta.FILENAME + ".tmp");
        byte[] bytes = m.toJson();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // persist before the rename makes the file visible
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDir(dir);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write meta.json of block " + m.ulid() + " to " + dir + ": " + e, e);
        }
    }

    /** fsyncs a directory so a rename inside it survives a crash; not supported everywhere, so best effort. */
    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms (Windows) cannot open directories; the rename is still atomic there.
        }
    }

    /** Go's {@code json.Encoder} with {@code SetIndent("", "\t")}: tabs, {@code ": "}, empty {@code {}} and {@code []}. */
    static final class GoPrettyPrinter extends DefaultPrettyPrinter {
        GoPrettyPrinter() {
            super(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
            DefaultIndenter tabs = new DefaultIndenter("\t", "\n");
            indentObjectsWith(tabs);
            indentArraysWith(tabs);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoPrettyPrinter();
        }
    }
}
