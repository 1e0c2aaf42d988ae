package io.thanosj.tsdb.bucket;

import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockRewriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code thanos tools bucket rewrite} with deletions: for each block, download it, rewrite it with
 * {@link BlockRewriter}, upload the new block and optionally mark the source for deletion. A dry run
 * only reports what would change.
 */
public final class BucketRewriter {
    private BucketRewriter() {}

    /** The outcome per source block; {@code newId} is null for a dry run. */
    public record Outcome(String sourceId, String newId, BlockRewriter.Result result) {}

    public static List<Outcome> rewrite(Bucket bkt, List<String> ids, List<BlockMeta.DeletionRequest> deletions, Path tmp,
                                        boolean dryRun, boolean deleteSource, boolean promBlocks) {
        if (deletions.isEmpty()) {
            throw ThanosException.badData("rewrite blocks: rewrite configuration should be provided");
        }
        List<Outcome> out = new ArrayList<>();
        for (String id : ids) {
            Path work = tmp.resolve("rewrite-" + id);
            try {
                deleteTree(work);
                Path src = BucketBlocks.download(bkt, id, work.resolve(id));
                Path dst = work.resolve("out");
                Files.createDirectories(dst);
                BlockRewriter.Result r;
                try (Block b = Block.open(src)) {
                    r = BlockRewriter.rewrite(b, dst, deletions, dryRun);
                }
                if (dryRun) {
                    out.add(new Outcome(id, null, r));
                    continue;
                }
                BucketBlocks.upload(bkt, dst.resolve(r.meta().ulid()), promBlocks);
                if (deleteSource) {
                    BucketBlocks.markForDeletion(bkt, id, "block rewritten", Instant.now());
                }
                out.add(new Outcome(id, r.meta().ulid(), r));
            } catch (IOException e) {
                throw new ThanosException(io.thanosj.model.ErrorCode.UNAVAILABLE, "rewrite block " + id + ": " + e, e);
            } finally {
                try {
                    deleteTree(work);
                } catch (IOException ignored) {
                    // temporary files only
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }
}
