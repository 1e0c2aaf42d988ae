package io.thanosj.tsdb.bucket;

import com.github.f4b6a3.ulid.Ulid;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Block operations on a bucket laid out as {@code <ULID>/meta.json|index|chunks/000001}, following
 * Thanos's {@code pkg/block}: uploads send chunks, then the index, then meta.json (so a block is only
 * visible once complete); deletes remove meta.json first; {@code deletion-mark.json} marks a block for
 * delayed deletion.
 */
public final class BucketBlocks {
    public static final String DELETION_MARK = "deletion-mark.json";
    public static final String NO_COMPACT_MARK = "no-compact-mark.json";

    private BucketBlocks() {}

    /** ULIDs of the directories in the bucket root that hold a meta.json, sorted. */
    public static List<String> list(Bucket bkt) {
        List<String> out = new ArrayList<>();
        bkt.iter("", dir -> {
            if (!dir.endsWith("/")) {
                return;
            }
            String id = dir.substring(0, dir.length() - 1);
            if (Ulid.isValid(id) && bkt.exists(id + "/" + BlockMeta.FILENAME)) {
                out.add(id);
            }
        });
        out.sort(String::compareTo);
        return out;
    }

    public static BlockMeta readMeta(Bucket bkt, String id) {
        try (InputStream in = bkt.get(id + "/" + BlockMeta.FILENAME)) {
            return BlockMeta.read(in, id);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read meta.json of block " + id + ": " + e, e);
        }
    }

    /** Downloads every object of block {@code id} into {@code dir} (created; existing files replaced). */
    public static Path download(Bucket bkt, String id, Path dir) {
        List<String> names = new ArrayList<>();
        bkt.iter(id + "/", true, names::add);
        if (!names.contains(id + "/" + BlockMeta.FILENAME)) {
            throw new ThanosException(ErrorCode.NOT_FOUND, "download block " + id + ": meta.json not found in bucket " + bkt.name());
        }
        try {
            Files.createDirectories(dir);
            for (String name : names) {
                Path dst = dir.resolve(name.substring(id.length() + 1)).normalize();
                if (!dst.startsWith(dir)) {
                    throw ThanosException.badData("download block " + id + ": object " + name + " escapes the block directory");
                }
                Files.createDirectories(dst.getParent());
                try (InputStream in = bkt.get(name)) {
                    Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "download block " + id + " to " + dir + ": " + e, e);
        }
        return dir;
    }

    /**
     * Uploads a local block directory as Thanos does: chunk segments, then the index, then meta.json
     * with its file list refreshed (tombstones stay local). The
     * directory must hold a meta.json whose ULID is the directory name and, unless {@code promBlock},
     * a Thanos section with external labels (as Thanos's {@code block.Upload} requires).
     */
    public static void upload(Bucket bkt, Path dir, boolean promBlock) {
        BlockMeta meta = BlockMeta.readFromDir(dir);
        String id = meta.ulid();
        if (!id.equals(String.valueOf(dir.getFileName()))) {
            throw ThanosException.badData("upload block " + dir + ": directory name is not the block ULID " + id);
        }
        if (!promBlock && meta.thanos().labels().isEmpty()) {
            throw ThanosException.badData("upload block " + id + ": empty external labels are not allowed for Thanos blocks");
        }
        if (!Files.exists(dir.resolve("index")) || !Files.isDirectory(dir.resolve("chunks"))) {
            throw ThanosException.badData("upload block " + id + ": index or chunks directory missing in " + dir);
        }
        try {
            List<BlockMeta.File> files = BlockWriter.gatherFiles(dir);
            for (BlockMeta.File f : files) {
                if (f.relPath().equals(BlockMeta.FILENAME)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(dir.resolve(f.relPath()))) {
                    bkt.upload(id + "/" + f.relPath(), in);
                }
            }
            BlockMeta withFiles = meta.withThanos(meta.thanos().withFiles(files));
            bkt.upload(id + "/" + BlockMeta.FILENAME, new ByteArrayInputStream(withFiles.toJson()));
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "upload block " + id + " from " + dir + ": " + e, e);
        }
    }

    /** Writes {@code <id>/deletion-mark.json} as Thanos does; a block already marked is left alone. */
    public static void markForDeletion(Bucket bkt, String id, String details, Instant now) {
        String name = id + "/" + DELETION_MARK;
        if (bkt.exists(name)) {
            return;
        }
        if (!bkt.exists(id + "/" + BlockMeta.FILENAME)) {
            throw new ThanosException(ErrorCode.NOT_FOUND, "mark block " + id + " for deletion: block not found in bucket " + bkt.name());
        }
        String json = "{\n\t\"id\": \"" + id + "\",\n\t\"deletion_time\": " + now.getEpochSecond()
                + ",\n\t\"version\": 1,\n\t\"details\": \"" + escape(details) + "\"\n}\n";
        bkt.upload(name, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    public static boolean isMarkedForDeletion(Bucket bkt, String id) {
        return bkt.exists(id + "/" + DELETION_MARK);
    }

    /** Deletes a block: meta.json first, so readers stop seeing it, then the rest. */
    public static void delete(Bucket bkt, String id) {
        bkt.delete(id + "/" + BlockMeta.FILENAME);
        List<String> names = new ArrayList<>();
        bkt.iter(id + "/", true, names::add);
        for (String n : names) {
            bkt.delete(n);
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
