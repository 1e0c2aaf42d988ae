package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkSegments;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Compacts N blocks into one, as Prometheus's compactor: series are merged in label order, tombstones
 * are applied, chunks that do not overlap in time are copied unchanged, and groups of overlapping
 * chunks (vertical compaction) are decoded, merged by timestamp with duplicates dropped (the block
 * with the earliest start wins a conflict) and re-encoded in chunks of 120 samples. The new meta.json
 * has level max+1, the union of sources and the inputs as parents.
 */
public final class BlockMerger {
    private BlockMerger() {}

    /**
     * Writes the merged block into {@code outDir} and returns its meta. {@code thanos} may be null,
     * in which case the first input's Thanos section is kept with source "compactor".
     */
    public static BlockMeta merge(List<Block> inputs, Path outDir, BlockMeta.Thanos thanos) {
        return merge(inputs, outDir, thanos, BlockMeta.newUlid(), ChunkSegments.DEFAULT_SEGMENT_SIZE);
    }

    public static BlockMeta merge(List<Block> inputs, Path outDir, BlockMeta.Thanos thanos, String ulid, long segmentSize) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        List<Block> blocks = new ArrayList<>(inputs);
        blocks.sort(Comparator.comparingLong((Block b) -> b.meta().minTime()).thenComparing(b -> b.meta().ulid()));
        long mint = Long.MAX_VALUE;
        long maxt = Long.MIN_VALUE;
        int level = 0;
        TreeSet<String> sources = new TreeSet<>();
        List<BlockMeta.BlockDesc> parents = new ArrayList<>();
        for (Block b : blocks) {
            BlockMeta m = b.meta();
            mint = Math.min(mint, m.minTime());
            maxt = Math.max(maxt, m.maxTime());
            level = Math.max(level, m.compaction().level());
            sources.addAll(m.compaction().sources());
            parents.add(new BlockMeta.BlockDesc(m.ulid(), m.minTime(), m.maxTime()));
        }
        BlockMeta.Thanos t = thanos != null ? thanos
                : blocks.get(0).meta().thanos() == BlockMeta.Thanos.EMPTY ? null
                : blocks.get(0).meta().thanos().withSource("compactor").withFiles(List.of());
        try (BlockWriter w = new BlockWriter(outDir, ulid, segmentSize)) {
            w.timeRange(mint, maxt)
                    .compaction(new BlockMeta.Compaction(level + 1, new ArrayList<>(sources), parents, false, false, List.of()));
            if (t != null) {
                w.thanos(t);
            }
            mergeSeries(blocks, w);
            return w.finish();
        }
    }

    private static final class Source {
        final int order;
        final BlockSeriesSet set;

        Source(int order, BlockSeriesSet set) {
            this.order = order;
            this.set = set;
        }
    }

    private record Piece(XorChunk chunk, long mint, long maxt, int order) {}

    private static void mergeSeries(List<Block> blocks, BlockWriter w) {
        PriorityQueue<Source> pq = new PriorityQueue<>((a, b) -> {
            int c = a.set.labels().compareTo(b.set.labels());
            return c != 0 ? c : Integer.compare(a.order, b.order);
        });
        for (int i = 0; i < blocks.size(); i++) {
            BlockSeriesSet s = blocks.get(i).all();
            if (s.next()) {
                pq.add(new Source(i, s));
            }
        }
        List<Piece> pieces = new ArrayList<>();
        List<XorChunk> outChunks = new ArrayList<>();
        ChunkMetas outTimes = new ChunkMetas();
        while (!pq.isEmpty()) {
            Labels labels = pq.peek().set.labels();
            pieces.clear();
            while (!pq.isEmpty() && pq.peek().set.labels().equals(labels)) {
                Source s = pq.poll();
                collect(s, pieces);
                if (s.set.next()) {
                    pq.add(s);
                }
            }
            pieces.sort(Comparator.comparingLong(Piece::mint).thenComparingInt(Piece::order));
            outChunks.clear();
            outTimes.clear();
            int i = 0;
            while (i < pieces.size()) {
                int j = i + 1;
                long groupMax = pieces.get(i).maxt();
                while (j < pieces.size() && pieces.get(j).mint() <= groupMax) {
                    groupMax = Math.max(groupMax, pieces.get(j).maxt());
                    j++;
                }
                if (j == i + 1) {
                    Piece p = pieces.get(i);
                    outChunks.add(p.chunk());
                    outTimes.add(0, p.mint(), p.maxt());
                } else {
                    reencode(pieces.subList(i, j), outChunks, outTimes);
                }
                i = j;
            }
            w.addChunks(labels, outChunks, outTimes);
        }
    }

    /** Adds the series' chunks of one source, with deleted samples removed and empty chunks dropped. */
    private static void collect(Source s, List<Piece> out) {
        ChunkMetas m = s.set.chunkMetas();
        boolean hasDeletes = !s.set.deleted().isEmpty();
        for (int i = 0; i < m.size(); i++) {
            XorChunk c = s.set.chunk(i);
            if (c.numSamples() == 0) {
                continue;
            }
            long mint = m.minTime(i);
            long maxt = m.maxTime(i);
            if (hasDeletes) {
                SampleIterator it = c.iterator();
                it.next();
                mint = it.t();
                maxt = mint;
                while (it.next()) {
                    maxt = it.t();
                }
            }
            out.add(new Piece(c, mint, maxt, s.order));
        }
    }

    private static void reencode(List<Piece> group, List<XorChunk> outChunks, ChunkMetas outTimes) {
        // Order by source so the earliest block wins timestamp conflicts.
        List<Piece> byOrder = new ArrayList<>(group);
        byOrder.sort(Comparator.comparingInt(Piece::order).thenComparingLong(Piece::mint));
        SampleIterator[] its = new SampleIterator[byOrder.size()];
        for (int k = 0; k < its.length; k++) {
            its[k] = byOrder.get(k).chunk().iterator();
        }
        MergedSampleIterator merged = new MergedSampleIterator(its);
        XorAppender a = new XorAppender();
        long first = 0;
        long last = 0;
        while (merged.next()) {
            if (a.numSamples() == BlockWriter.SAMPLES_PER_CHUNK) {
                outChunks.add(a.chunk());
                outTimes.add(0, first, last);
                a.reset();
            }
            if (a.numSamples() == 0) {
                first = merged.t();
            }
            a.append(merged.t(), merged.v());
            last = merged.t();
        }
        if (a.numSamples() > 0) {
            outChunks.add(a.chunk());
            outTimes.add(0, first, last);
        }
    }
}
