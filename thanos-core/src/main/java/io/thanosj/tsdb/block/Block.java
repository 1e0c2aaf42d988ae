package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkReader;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.SeriesCursor;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * An opened block directory: meta.json, the memory-mapped index and chunk segments, and tombstones,
 * which are applied to everything read through {@link #select}. Thread-safe for reading; each
 * {@link BlockSeriesSet} belongs to one thread.
 */
public final class Block implements Closeable {
    private final Path dir;
    private final BlockMeta meta;
    private final IndexReader index;
    private final ChunkReader chunks;
    private final Tombstones tombstones;

    private Block(Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks, Tombstones tombstones) {
        this.dir = dir;
        this.meta = meta;
        this.index = index;
        this.chunks = chunks;
        this.tombstones = tombstones;
    }

    public static Block open(Path dir) {
        BlockMeta meta = BlockMeta.readFromDir(dir);
        String name = meta.ulid();
        IndexReader ir = IndexReader.open(dir.resolve("index"), name);
        try {
            ChunkReader cr = ChunkReader.open(dir.resolve("chunks"), name);
            try {
                return new Block(dir, meta, ir, cr, Tombstones.readFromDir(dir, name));
            } catch (RuntimeException e) {
                cr.close();
                throw e;
            }
        } catch (RuntimeException e) {
            ir.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public BlockMeta meta() {
        return meta;
    }

    public IndexReader index() {
        return index;
    }

    public ChunkReader chunks() {
        return chunks;
    }

    public Tombstones tombstones() {
        return tombstones;
    }

    /**
     * Series matching all matchers with samples in {@code [mint, maxt]}, tombstones applied. As in
     * Prometheus, no matchers select nothing; use {@link #all} for every series.
     */
    public BlockSeriesSet select(long mint, long maxt, List<Matcher> matchers) {
        return new SeriesSet(index.select(mint, maxt, matchers), mint, maxt);
    }

    /**
     * As {@link #select(long, long, List)}, with {@code edit} applied to each series' labels before
     * they are built (the StoreAPI adds external labels this way, building each label set once).
     */
    public BlockSeriesSet select(long mint, long maxt, List<Matcher> matchers,
            Consumer<LabelsBuilder> edit) {
        return new SeriesSet(index.select(mint, maxt, matchers, edit), mint, maxt);
    }

    public BlockSeriesSet select(long mint, long maxt, Matcher... matchers) {
        return select(mint, maxt, Arrays.asList(matchers));
    }

    /** Every series of the block, tombstones applied. */
    public BlockSeriesSet all() {
        return new SeriesSet(new AllSeries(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private final class AllSeries implements SeriesCursor {
        private final io.thanosj.tsdb.index.Postings p = index.allPostings();
        private final io.thanosj.model.LabelsBuilder lb = new io.thanosj.model.LabelsBuilder();
        private final ChunkMetas chks = new ChunkMetas();
        private final io.thanosj.tsdb.encoding.Decbuf scratch = new io.thanosj.tsdb.encoding.Decbuf();
        private Labels labels;

        @Override
        public boolean next() {
            while (p.next()) {
                index.series(p.at(), lb, chks, scratch);
                if (!chks.isEmpty()) {
                    labels = lb.build();
                    return true;
                }
            }
            return false;
        }

        @Override
        public long ref() {
            return p.at();
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public ChunkMetas chunks() {
            return chks;
        }
    }

    private final class SeriesSet implements BlockSeriesSet {
        private final SeriesCursor c;
        private final long mint;
        private final long maxt;
        private final BlockSampleIterator samples = new BlockSampleIterator();
        private List<Interval> deleted = List.of();

        SeriesSet(SeriesCursor c, long mint, long maxt) {
            this.c = c;
            this.mint = mint;
            this.maxt = maxt;
        }

        @Override
        public boolean next() {
            while (c.next()) {
                deleted = tombstones.isEmpty() ? List.of() : tombstones.intervals(c.ref());
                if (deleted.isEmpty() || !fullyDeleted()) {
                    return true;
                }
            }
            return false;
        }

        private boolean fullyDeleted() {
            ChunkMetas m = c.chunks();
            for (int i = 0; i < m.size(); i++) {
                if (!covered(Math.max(m.minTime(i), mint), Math.min(m.maxTime(i), maxt))) {
                    return false;
                }
            }
            return true;
        }

        private boolean covered(long from, long to) {
            for (Interval iv : deleted) {
                if (iv.mint() <= from && iv.maxt() >= to) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public long ref() {
            return c.ref();
        }

        @Override
        public Labels labels() {
            return c.labels();
        }

        @Override
        public ChunkMetas chunkMetas() {
            return c.chunks();
        }

        @Override
        public List<Interval> deleted() {
            return deleted;
        }

        @Override
        public java.nio.ByteBuffer chunkData(int i) {
            if (deleted.isEmpty()) {
                return chunks.data(c.chunks().ref(i));
            }
            return BlockSeriesSet.super.chunkData(i);
        }

        @Override
        public XorChunk chunk(int i) {
            XorChunk raw = chunks.chunk(c.chunks().ref(i));
            if (deleted.isEmpty()) {
                return raw;
            }
            long cmin = c.chunks().minTime(i);
            long cmax = c.chunks().maxTime(i);
            boolean touched = false;
            for (Interval iv : deleted) {
                touched |= iv.mint() <= cmax && iv.maxt() >= cmin;
            }
            if (!touched) {
                return raw;
            }
            // Re-encode without deleted samples, as Prometheus's chunk querier does.
            XorAppender a = new XorAppender();
            SampleIterator it = raw.iterator();
            while (it.next()) {
                if (!isDeleted(it.t())) {
                    a.append(it.t(), it.v());
                }
            }
            return a.chunk();
        }

        private boolean isDeleted(long t) {
            for (Interval iv : deleted) {
                if (iv.contains(t)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public SampleIterator samples() {
            samples.reset(chunks, c.chunks(), mint, maxt, deleted);
            return samples;
        }
    }

    @Override
    public void close() {
        index.close();
        chunks.close();
    }

    @Override
    public String toString() {
        return "Block{" + meta.ulid() + " [" + meta.minTime() + ", " + meta.maxTime() + ")}";
    }
}
