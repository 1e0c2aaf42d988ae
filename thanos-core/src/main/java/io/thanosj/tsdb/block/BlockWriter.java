package io.thanosj.tsdb.block;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkSegments;
import io.thanosj.tsdb.chunk.ChunkWriter;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import io.thanosj.tsdb.encoding.Encbuf;
import io.thanosj.tsdb.index.IndexWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a block from series added in label order: chunks go straight to the segment files, series
 * (labels and chunk metadata) are spilled to a temporary file while symbols are collected, and
 * {@link #finish} writes the index, an empty tombstones file and meta.json, then renames the
 * {@code <ULID>.tmp-for-creation} directory to {@code <ULID>}, as Prometheus does. Memory stays
 * bounded by the symbol set. Series without chunks are dropped. Not thread-safe.
 */
public final class BlockWriter implements Closeable {
    /** Samples per chunk when encoding raw samples, as Prometheus's compaction re-encoding. */
    public static final int SAMPLES_PER_CHUNK = 120;

    private final Path parent;
    private final String ulid;
    private final Path tmp;
    private final ChunkWriter chunks;
    private final Path spillPath;
    private final OutputStream spill;
    private final SymbolIds symbols = new SymbolIds();
    private final Encbuf rec = new Encbuf(256);
    private final XorAppender app = new XorAppender();
    private final ChunkMetas metas = new ChunkMetas();
    private final ChunkMetas written = new ChunkMetas();
    private final List<XorChunk> cut = new ArrayList<>();
    private SampleIterator reuse;

    private Labels last;
    private long numSeries;
    private long numSamples;
    private long numChunks;
    private long minT = Long.MAX_VALUE;
    private long maxT = Long.MIN_VALUE;
    private long[] range;
    private BlockMeta.Thanos thanos;
    private BlockMeta.Compaction compaction;
    private boolean done;

    /** A writer for a new block with a fresh ULID under {@code parentDir}. */
    public BlockWriter(Path parentDir) {
        this(parentDir, BlockMeta.newUlid(), ChunkSegments.DEFAULT_SEGMENT_SIZE);
    }

    public BlockWriter(Path parentDir, String ulid, long segmentSize) {
        this.parent = parentDir;
        this.ulid = ulid;
        this.tmp = parentDir.resolve(ulid + ".tmp-for-creation");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            this.spillPath = tmp.resolve("series.spill");
            this.spill = new BufferedOutputStream(Files.newOutputStream(spillPath), 1 << 20);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "create block " + ulid + " in " + parentDir + ": " + e, e);
        }
        this.chunks = new ChunkWriter(tmp.resolve("chunks"), segmentSize);
    }

    public String ulid() {
        return ulid;
    }

    /** Sets the block's time range [minTime, maxTime); by default the samples' range, maxTime exclusive. */
    public BlockWriter timeRange(long minTime, long maxTime) {
        if (maxTime < minTime) {
            throw new IllegalArgumentException("block maxTime " + maxTime + " is before minTime " + minTime);
        }
        this.range = new long[] {minTime, maxTime};
        return this;
    }

    /** Sets Thanos's meta.json section; its file list is filled in by {@link #finish}. */
    public BlockWriter thanos(BlockMeta.Thanos t) {
        this.thanos = t;
        return this;
    }

    /** Sets the compaction history (default: level 1, sources = this block). */
    public BlockWriter compaction(BlockMeta.Compaction c) {
        this.compaction = c;
        return this;
    }

    /** Adds a series from raw samples in time order, cut into chunks of {@link #SAMPLES_PER_CHUNK}. */
    public void addSeries(Labels l, long[] ts, double[] vs, int n) {
        // Everything is checked before the first chunk is written, so a rejected series leaves no trace.
        checkOrder(l);
        for (int j = 1; j < n; j++) {
            if (ts[j] <= ts[j - 1]) {
                throw new IllegalArgumentException("series " + l + ": sample timestamps must increase, got "
                        + ts[j] + " after " + ts[j - 1]);
            }
        }
        if (n <= 0) {
            return;
        }
        metas.clear();
        for (int i = 0; i < n; i += SAMPLES_PER_CHUNK) {
            app.reset();
            final int end = Math.min(n, i + SAMPLES_PER_CHUNK);
            for (int j = i; j < end; j++) {
                app.append(ts[j], vs[j]);
            }
            // Encoded straight from the appender's buffer into the segment: no chunk object per series.
            metas.add(chunks.write(app), ts[i], ts[end - 1]);
            numSamples += end - i;
        }
        addIndexed(l, metas);
    }

    /** Adds a series from samples, cut into chunks of {@link #SAMPLES_PER_CHUNK}. */
    public void addSeries(Labels l, SampleIterator it) {
        cut.clear();
        metas.clear();
        int k = 0;
        long first = 0;
        long prev = Long.MIN_VALUE;
        app.reset();
        while (it.next()) {
            long t = it.t();
            if (k > 0 && t <= prev) {
                throw new IllegalArgumentException("series " + l + ": sample timestamps must increase, got " + t + " after " + prev);
            }
            if (k == SAMPLES_PER_CHUNK) {
                cut.add(app.chunk());
                metas.add(0, first, prev);
                app.reset();
                k = 0;
            }
            if (k == 0) {
                first = t;
            }
            app.append(t, it.v());
            prev = t;
            k++;
        }
        if (k > 0) {
            cut.add(app.chunk());
            metas.add(0, first, prev);
        }
        addChunks(l, cut, metas);
    }

    /** Adds a series from encoded chunks in time order; their time ranges are decoded from the chunks. */
    public void addSeries(Labels l, List<XorChunk> chks) {
        metas.clear();
        for (XorChunk c : chks) {
            SampleIterator it = reuse = c.iterator(reuse);
            long first = 0;
            long lastT = 0;
            boolean any = false;
            while (it.next()) {
                if (!any) {
                    first = it.t();
                    any = true;
                }
                lastT = it.t();
            }
            metas.add(0, any ? first : 0, lastT);
        }
        List<XorChunk> nonEmpty = new ArrayList<>(chks.size());
        ChunkMetas m = new ChunkMetas(chks.size());
        for (int i = 0; i < chks.size(); i++) {
            if (chks.get(i).numSamples() > 0) {
                nonEmpty.add(chks.get(i));
                m.add(0, metas.minTime(i), metas.maxTime(i));
            }
        }
        addChunks(l, nonEmpty, m);
    }

    /** Adds a series whose chunk time ranges are known (refs in {@code times} are ignored). */
    void addChunks(Labels l, List<XorChunk> chks, ChunkMetas times) {
        checkOrder(l);
        if (chks.isEmpty()) {
            return;
        }
        long prevMax = Long.MIN_VALUE;
        for (int i = 0; i < chks.size(); i++) {
            if (i > 0 && times.minTime(i) <= prevMax) {
                throw new IllegalArgumentException("series " + l + ": chunk starting at " + times.minTime(i)
                        + " overlaps the previous one ending at " + prevMax);
            }
            prevMax = times.maxTime(i);
        }
        written.clear();
        for (int i = 0; i < chks.size(); i++) {
            XorChunk c = chks.get(i);
            written.add(chunks.write(c), times.minTime(i), times.maxTime(i));
            numSamples += c.numSamples();
        }
        addIndexed(l, written);
    }

    private void checkOrder(Labels l) {
        if (done) {
            throw new IllegalStateException("block writer for " + ulid + " is finished");
        }
        if (last != null && l.compareTo(last) <= 0) {
            throw new IllegalArgumentException("series must be added in label order: " + l + " after " + last);
        }
    }

    /**
     * Spills a series whose chunks are written: label symbols as numbers in first-seen order (renumbered
     * in {@link #finish}), then the chunk metas, behind a 4-byte length.
     */
    private void addIndexed(Labels l, ChunkMetas m) {
        last = l;
        rec.reset().putBE32(0).putUvarint64(l.size());
        for (int i = 0; i < l.size(); i++) {
            rec.putUvarint64(symbols.id(l.name(i))).putUvarint64(symbols.id(l.value(i)));
        }
        rec.putUvarint64(m.size());
        for (int i = 0; i < m.size(); i++) {
            rec.putUvarint64(m.ref(i)).putVarint64(m.minTime(i)).putVarint64(m.maxTime(i));
            minT = Math.min(minT, m.minTime(i));
            maxT = Math.max(maxT, m.maxTime(i));
        }
        numChunks += m.size();
        rec.setBE32(0, rec.len() - 4);
        try {
            spill.write(rec.array(), 0, rec.len());
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write block " + ulid + ": " + e, e);
        }
        numSeries++;
    }

    /** Writes index, tombstones and meta.json and moves the block into place; returns its meta. */
    public BlockMeta finish() {
        if (done) {
            throw new IllegalStateException("block writer for " + ulid + " is finished");
        }
        done = true;
        try {
            chunks.close();
            spill.close();
            int[] rank = new int[symbols.size()];
            String[] sorted = symbols.sorted(rank);
            IndexWriter iw = new IndexWriter(tmp.resolve("index"));
            try (SpillReader in = new SpillReader(spillPath)) {
                iw.addSymbols(java.util.Arrays.asList(sorted));
                ChunkMetas cm = new ChunkMetas();
                int[] refs = new int[16];
                for (long s = 0; s < numSeries; s++) {
                    in.next();
                    int nl = (int) in.uvarint();
                    if (refs.length < 2 * nl) {
                        refs = new int[2 * nl];
                    }
                    for (int i = 0; i < 2 * nl; i++) {
                        refs[i] = rank[(int) in.uvarint()];
                    }
                    cm.clear();
                    int nc = (int) in.uvarint();
                    for (int i = 0; i < nc; i++) {
                        long ref = in.uvarint();
                        long mint = unzig(in.uvarint());
                        long maxt = unzig(in.uvarint());
                        cm.add(ref, mint, maxt);
                    }
                    iw.addSeries(refs, 2 * nl, cm);
                }
                iw.close();
            } catch (RuntimeException | IOException e) {
                iw.abort();
                throw e;
            }
            Files.delete(spillPath);
            Tombstones.empty().writeToDir(tmp);
            long min = range != null ? range[0] : (numSeries == 0 ? 0 : minT);
            long max = range != null ? range[1] : (numSeries == 0 ? 0 : maxT + 1);
            BlockMeta.Compaction c = compaction != null ? compaction
                    : new BlockMeta.Compaction(1, List.of(ulid), List.of(), false, false, List.of());
            if (numSeries == 0 && !c.deletable()) {
                c = new BlockMeta.Compaction(c.level(), c.sources(), c.parents(), true, c.failed(), c.hints());
            }
            BlockMeta meta = new BlockMeta(ulid, min, max, new BlockMeta.Stats(numSamples, numSeries, numChunks, 0), c,
                    BlockMeta.VERSION_1, thanos == null ? BlockMeta.Thanos.EMPTY : thanos.withFiles(files()));
            meta.writeToDir(tmp);
            Path dst = parent.resolve(ulid);
            deleteTree(dst);
            Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
            MetaJson.syncDir(parent);
            return meta;
        } catch (IOException e) {
            abortQuietly();
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write block " + ulid + " in " + parent + ": " + e, e);
        } catch (RuntimeException e) {
            abortQuietly();
            throw e;
        }
    }

    private List<BlockMeta.File> files() {
        return gatherFiles(tmp);
    }

    /**
     * The files Thanos lists in meta.json (its {@code GatherFileStats}): chunk segments, index and
     * meta.json (without size), sorted by path. Tombstones are not uploaded to buckets, so not listed.
     */
    public static List<BlockMeta.File> gatherFiles(Path blockDir) {
        List<BlockMeta.File> out = new ArrayList<>();
        try {
            Path chunksDir = blockDir.resolve("chunks");
            if (Files.isDirectory(chunksDir)) {
                try (Stream<Path> s = Files.list(chunksDir)) {
                    for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                        if (Files.isRegularFile(p)) {
                            out.add(new BlockMeta.File("chunks/" + p.getFileName(), Files.size(p)));
                        }
                    }
                }
            }
            if (Files.exists(blockDir.resolve("index"))) {
                out.add(new BlockMeta.File("index", Files.size(blockDir.resolve("index"))));
            }
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "list files of block " + blockDir + ": " + e, e);
        }
        out.add(new BlockMeta.File(BlockMeta.FILENAME, 0));
        out.sort(Comparator.comparing(BlockMeta.File::relPath));
        return out;
    }

    private static long unzig(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** Discards an unfinished block. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            abortQuietly();
        }
    }

    private void abortQuietly() {
        chunks.abort();
        try {
            spill.close();
        } catch (IOException ignored) {
            // discarding
        }
        try {
            deleteTree(tmp);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void deleteTree(Path p) throws IOException {
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
