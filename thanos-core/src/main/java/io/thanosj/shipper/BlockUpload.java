package io.thanosj.shipper;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Uploads one local block as Thanos's {@code block.Upload} does: its files are first hard-linked
 * into a staging directory ({@code <data>/thanos/upload/<ULID>}), so that Prometheus deleting or
 * compacting the block meanwhile cannot pull files from under the upload; then chunks, index and,
 * last, a meta.json carrying Thanos's section are uploaded. A block without meta.json in the bucket
 * counts as not uploaded, so a failure half-way is simply retried.
 */
final class BlockUpload {
    static final String CHUNKS = "chunks";
    static final String INDEX = "index";

    private BlockUpload() {}

    /**
     * @param labels   external labels added to the block's Thanos section
     * @param hashFunc "SHA256" to record file hashes, or null
     */
    static BlockMeta upload(Bucket bucket, Path dataDir, BlockMeta meta, Map<String, String> labels, String source,
                            String hashFunc) {
        String id = meta.ulid();
        if (labels.isEmpty()) {
            throw ThanosException.badData("upload block " + id + ": empty external labels are not allowed for Thanos block");
        }
        Path staging = dataDir.resolve("thanos").resolve("upload").resolve(id);
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging.resolve(CHUNKS));
            List<String> segments = link(dataDir.resolve(id), staging);

            Map<String, String> merged = new TreeMap<>(meta.thanos().labels());
            merged.putAll(labels);
            List<BlockMeta.File> files = new ArrayList<>();
            for (String seg : segments) {
                files.add(fileStat(staging, CHUNKS + "/" + seg, hashFunc));
            }
            files.add(fileStat(staging, INDEX, hashFunc));
            files.add(new BlockMeta.File(BlockMeta.FILENAME, 0));
            files.sort(Comparator.comparing(BlockMeta.File::relPath));
            BlockMeta.Thanos t = meta.thanos();
            BlockMeta.Thanos nt = new BlockMeta.Thanos(BlockMeta.Thanos.VERSION_1, merged, t.downsampleResolution(), source,
                    segments, files, t.rewrites(), t.indexStats(), t.extensions(), Instant.now().toString());
            BlockMeta out = meta.withThanos(nt);
            out.writeToDir(staging);

            for (String seg : segments) {
                uploadFile(bucket, staging.resolve(CHUNKS).resolve(seg), id + "/" + CHUNKS + "/" + seg);
            }
            uploadFile(bucket, staging.resolve(INDEX), id + "/" + INDEX);
            // meta.json goes last: a block without it in the bucket is an unfinished upload.
            bucket.upload(id + "/" + BlockMeta.FILENAME, new ByteArrayInputStream(out.toJson()));
            return out;
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "upload block " + id + ": " + e, e);
        } finally {
            try {
                deleteRecursively(staging);
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(BlockUpload.class).atWarn().addKeyValue("dir", staging)
                        .addKeyValue("err", e.toString()).log("clean upload directory failed");
            }
        }
    }

    /** Hard-links (copies where linking is impossible) chunks, index and meta.json; returns segment names. */
    private static List<String> link(Path block, Path staging) throws IOException {
        List<String> segments = new ArrayList<>();
        try (Stream<Path> s = Files.list(block.resolve(CHUNKS))) {
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().forEach(segments::add);
        }
        for (String seg : segments) {
            linkOrCopy(block.resolve(CHUNKS).resolve(seg), staging.resolve(CHUNKS).resolve(seg));
        }
        linkOrCopy(block.resolve(INDEX), staging.resolve(INDEX));
        linkOrCopy(block.resolve(BlockMeta.FILENAME), staging.resolve(BlockMeta.FILENAME));
        return segments;
    }

    private static void linkOrCopy(Path src, Path dst) throws IOException {
        try {
            Files.createLink(dst, src);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                throw (java.nio.file.NoSuchFileException) e;
            }
            Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static BlockMeta.File fileStat(Path dir, String rel, String hashFunc) throws IOException {
        Path f = dir.resolve(rel);
        long size = Files.size(f);
        if (hashFunc == null) {
            return new BlockMeta.File(rel, size);
        }
        MessageDigest d = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new BlockMeta.File(rel, size, new BlockMeta.ObjectHash(hashFunc, HexFormat.of().formatHex(d.digest())));
    }

    private static void uploadFile(Bucket bucket, Path file, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            bucket.upload(name, in);
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path x : all) {
                Files.deleteIfExists(x);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
