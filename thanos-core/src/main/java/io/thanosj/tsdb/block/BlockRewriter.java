package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkSegments;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites one block applying deletion requests, as {@code thanos tools bucket rewrite} with
 * {@code --rewrite.to-delete-config}: a series matching every matcher of a request loses the samples in
 * the request's intervals, or the whole series when the request has none. Untouched chunks are copied
 * unchanged, touched ones re-encoded. The new block keeps the time range, level and parents; its only
 * source is itself, the old sources and the deletions are recorded in {@code thanos.rewrites}, and
 * {@code thanos.source} becomes {@code bucket.rewrite}. Relabelling is not supported.
 */
public final class BlockRewriter {
    /** What a rewrite changed; {@code meta} is null for a dry run. */
    public record Result(BlockMeta meta, long seriesDeleted, long seriesChanged, long samplesDeleted, List<String> changeLog) {}

    private BlockRewriter() {}

    public static Result rewrite(Block src, Path outDir, List<BlockMeta.DeletionRequest> deletions, boolean dryRun) {
        return rewrite(src, outDir, deletions, dryRun, BlockMeta.newUlid());
    }

    public static Result rewrite(Block src, Path outDir, List<BlockMeta.DeletionRequest> deletions, boolean dryRun,
                                 String newUlid) {
        BlockMeta old = src.meta();
        List<String> log = new ArrayList<>();
        long seriesDeleted = 0;
        long seriesChanged = 0;
        long samplesDeleted = 0;
        BlockWriter w = dryRun ? null : new BlockWriter(outDir, newUlid, ChunkSegments.DEFAULT_SEGMENT_SIZE);
        try {
            BlockSeriesSet s = src.all();
            List<XorChunk> chunks = new ArrayList<>();
            ChunkMetas times = new ChunkMetas();
            while (s.next()) {
                Labels l = s.labels();
                Tombstones del = Tombstones.empty();
                boolean whole = false;
                for (BlockMeta.DeletionRequest d : deletions) {
                    if (!matches(d.matchers(), l)) {
                        continue;
                    }
                    if (d.intervals().isEmpty()) {
                        whole = true;
                        break;
                    }
                    for (Interval iv : d.intervals()) {
                        del.add(0, iv);
                    }
                }
                if (whole) {
                    seriesDeleted++;
                    ChunkMetas m = s.chunkMetas();
                    for (int i = 0; i < m.size(); i++) {
                        samplesDeleted += s.chunk(i).numSamples();
                    }
                    log.add("Deleted " + l + " [{" + Long.MIN_VALUE + " " + Long.MAX_VALUE + "}]");
                    continue;
                }
                List<Interval> ivs = del.intervals(0);
                chunks.clear();
                times.clear();
                long removed = 0;
                ChunkMetas m = s.chunkMetas();
                for (int i = 0; i < m.size(); i++) {
                    XorChunk c = s.chunk(i);
                    boolean touched = false;
                    for (Interval iv : ivs) {
                        touched |= iv.mint() <= m.maxTime(i) && iv.maxt() >= m.minTime(i);
                    }
                    if (!touched && s.deleted().isEmpty()) {
                        chunks.add(c);
                        times.add(0, m.minTime(i), m.maxTime(i));
                        continue;
                    }
                    XorAppender a = new XorAppender();
                    long first = 0;
                    long last = 0;
                    SampleIterator it = c.iterator();
                    while (it.next()) {
                        long t = it.t();
                        boolean gone = false;
                        for (Interval iv : ivs) {
                            gone |= iv.contains(t);
                        }
                        if (gone) {
                            removed++;
                            continue;
                        }
                        if (a.numSamples() == 0) {
                            first = t;
                        }
                        last = t;
                        a.append(t, it.v());
                    }
                    if (a.numSamples() > 0) {
                        chunks.add(a.chunk());
                        times.add(0, first, last);
                    }
                }
                if (removed > 0) {
                    seriesChanged++;
                    samplesDeleted += removed;
                    StringBuilder sb = new StringBuilder("Deleted ").append(l).append(" [");
                    for (int i = 0; i < ivs.size(); i++) {
                        sb.append(i > 0 ? " " : "").append('{').append(ivs.get(i).mint()).append(' ').append(ivs.get(i).maxt()).append('}');
                    }
                    log.add(sb.append(']').toString());
                }
                if (chunks.isEmpty()) {
                    seriesDeleted++;
                    continue;
                }
                if (w != null) {
                    w.addChunks(l, chunks, times);
                }
            }
            if (w == null) {
                return new Result(null, seriesDeleted, seriesChanged, samplesDeleted, log);
            }
            List<BlockMeta.Rewrite> rewrites = new ArrayList<>(old.thanos().rewrites());
            rewrites.add(new BlockMeta.Rewrite(old.compaction().sources(), deletions, null));
            BlockMeta.Compaction c = old.compaction();
            w.timeRange(old.minTime(), old.maxTime())
                    .compaction(new BlockMeta.Compaction(c.level(), List.of(newUlid), c.parents(), false, c.failed(), c.hints()))
                    .thanos(old.thanos().withRewrites(rewrites).withSource("bucket.rewrite"));
            BlockMeta meta = w.finish();
            return new Result(meta, seriesDeleted, seriesChanged, samplesDeleted, log);
        } finally {
            if (w != null) {
                w.close();
            }
        }
    }

    private static boolean matches(List<Matcher> ms, Labels l) {
        for (Matcher m : ms) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }
}
