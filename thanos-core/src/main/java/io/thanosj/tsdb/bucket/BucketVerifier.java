package io.thanosj.tsdb.bucket;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockCheck;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.IndexHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks the blocks of a bucket for the issues of {@code thanos tools bucket verify}:
 * {@code overlapped_blocks} (blocks of one compaction group, same external labels and resolution,
 * whose time ranges overlap) and {@code index_known_issues}: each block is downloaded, Thanos's
 * summary of index problems ({@link IndexHealth}) reported, then every series checked, index and
 * chunks, with one finding per problem naming the series ({@link BlockCheck}). Blocks marked for
 * deletion are skipped. Verification only: no repair.
 */
public final class BucketVerifier {
    public static final String OVERLAPPED_BLOCKS = "overlapped_blocks";
    public static final String INDEX_KNOWN_ISSUES = "index_known_issues";
    public static final Set<String> ISSUES = Set.of(OVERLAPPED_BLOCKS, INDEX_KNOWN_ISSUES);

    /** At most this many findings per block; a last one says how many more there were. */
    public static final int MAX_FINDINGS_PER_BLOCK = 1000;

    /** One problem found: the issue, the blocks involved, the series (null for whole blocks) and what is wrong. */
    public record Finding(String issue, List<String> blocks, Labels series, String message) {
        public Finding(String issue, List<String> blocks, String message) {
            this(issue, blocks, null, message);
        }

        @Override
        public String toString() {
            return issue + ": block " + String.join(", ", blocks) + (series == null ? "" : ", series " + series) + ": " + message;
        }
    }

    private BucketVerifier() {}

    /**
     * Verifies the given issues for the blocks {@code ids} (all blocks when empty), downloading
     * indexes under {@code tmp}. Returns the findings; an empty list means the bucket is healthy.
     */
    public static List<Finding> verify(Bucket bkt, Set<String> issues, Set<String> ids, Path tmp) {
        for (String i : issues) {
            if (!ISSUES.contains(i)) {
                throw ThanosException.badData("verify bucket: unknown issue " + i + ", expected one of " + new java.util.TreeSet<>(ISSUES));
            }
        }
        List<String> present = BucketBlocks.list(bkt);
        for (String id : ids) {
            if (!present.contains(id)) {
                throw new ThanosException(io.thanosj.model.ErrorCode.NOT_FOUND, "verify bucket: block " + id
                        + " not found in bucket " + bkt.name());
            }
        }
        List<BlockMeta> metas = new ArrayList<>();
        for (String id : present) {
            if ((ids.isEmpty() || ids.contains(id)) && !BucketBlocks.isMarkedForDeletion(bkt, id)) {
                metas.add(BucketBlocks.readMeta(bkt, id));
            }
        }
        List<Finding> out = new ArrayList<>();
        if (issues.contains(OVERLAPPED_BLOCKS)) {
            out.addAll(overlaps(metas));
        }
        if (issues.contains(INDEX_KNOWN_ISSUES)) {
            for (BlockMeta m : metas) {
                checkBlock(bkt, m.ulid(), tmp, out);
            }
        }
        return out;
    }

    private static void checkBlock(Bucket bkt, String id, Path tmp, List<Finding> out) {
        Path dir = tmp.resolve("verify-" + id);
        try {
            Path local = BucketBlocks.download(bkt, id, dir.resolve(id));
            try (Block b = Block.open(local)) {
                try {
                    String err = IndexHealth.gather(b.index(), id, b.meta().minTime(), b.meta().maxTime()).anyError();
                    if (err != null) {
                        out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(id), err));
                    }
                } catch (ThanosException e) {
                    out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(id), e.getMessage()));
                }
                long[] n = new long[1];
                BlockCheck.check(b, p -> {
                    if (n[0]++ < MAX_FINDINGS_PER_BLOCK) {
                        out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(id), p.series(), p.message()));
                    }
                });
                if (n[0] > MAX_FINDINGS_PER_BLOCK) {
                    out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(id), (n[0] - MAX_FINDINGS_PER_BLOCK) + " more problems not listed"));
                }
            }
        } catch (ThanosException e) {
            out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(id), e.getMessage()));
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Overlapping time ranges within each compaction group (resolution and external labels). */
    static List<Finding> overlaps(List<BlockMeta> metas) {
        Map<String, List<BlockMeta>> groups = new TreeMap<>();
        for (BlockMeta m : metas) {
            String key = m.thanos().downsampleResolution() + "@" + new TreeMap<>(m.thanos().labels());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<BlockMeta>> g : groups.entrySet()) {
            List<BlockMeta> ms = g.getValue();
            ms.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));
            int i = 0;
            while (i < ms.size()) {
                // Collect a run of blocks each overlapping the union of the ones before it.
                long end = ms.get(i).maxTime();
                int j = i + 1;
                while (j < ms.size() && ms.get(j).minTime() < end) {
                    end = Math.max(end, ms.get(j).maxTime());
                    j++;
                }
                if (j - i > 1) {
                    List<String> ids = new ArrayList<>();
                    StringBuilder sb = new StringBuilder("group " + g.getKey() + ": overlapping blocks");
                    for (int k = i; k < j; k++) {
                        BlockMeta m = ms.get(k);
                        ids.add(m.ulid());
                        sb.append(' ').append(m.ulid()).append(" [").append(m.minTime()).append(", ").append(m.maxTime()).append(')');
                    }
                    out.add(new Finding(OVERLAPPED_BLOCKS, ids, sb.toString()));
                }
                i = j;
            }
        }
        return out;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // temporary files only
        }
    }
}
