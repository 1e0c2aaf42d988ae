package io.thanosj.tsdb.bucket;

import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.IndexHealth;
import io.thanosj.tsdb.index.IndexReader;
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
 * whose time ranges overlap) and {@code index_known_issues} (see {@link IndexHealth}; each block's
 * index is downloaded). Blocks marked for deletion are skipped. Verification only: no repair.
 */
public final class BucketVerifier {
    public static final String OVERLAPPED_BLOCKS = "overlapped_blocks";
    public static final String INDEX_KNOWN_ISSUES = "index_known_issues";
    public static final Set<String> ISSUES = Set.of(OVERLAPPED_BLOCKS, INDEX_KNOWN_ISSUES);

    /** One problem found: the issue, the blocks involved and what is wrong. */
    public record Finding(String issue, List<String> blocks, String message) {}

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
        List<BlockMeta> metas = new ArrayList<>();
        for (String id : BucketBlocks.list(bkt)) {
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
                Path dir = tmp.resolve(m.ulid());
                try {
                    Files.createDirectories(dir);
                    try (var in = bkt.get(m.ulid() + "/index")) {
                        Files.copy(in, dir.resolve("index"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    try (IndexReader ir = IndexReader.open(dir.resolve("index"), m.ulid())) {
                        String err = IndexHealth.gather(ir, m.ulid(), m.minTime(), m.maxTime()).anyError();
                        if (err != null) {
                            out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(m.ulid()), err));
                        }
                    }
                } catch (ThanosException e) {
                    out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(m.ulid()), e.getMessage()));
                } catch (IOException e) {
                    out.add(new Finding(INDEX_KNOWN_ISSUES, List.of(m.ulid()), "download index: " + e));
                } finally {
                    deleteQuietly(dir);
                }
            }
        }
        return out;
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
