package io.thanosj.store.bucket;

import com.github.f4b6a3.ulid.Ulid;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.concurrent.Pools;
import io.thanosj.model.Utf8Order;
import io.thanosj.objstore.Bucket;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.SeriesSets;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreServer;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.chunk.ChunkMetas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StoreAPI over the blocks of a bucket (Thanos's {@code BucketStore}). {@link #sync()} brings
 * the set of blocks in line with the {@link MetaFetcher}'s view, building missing index-headers
 * under {@code <data-dir>/<ULID>/}; Series calls pick blocks by external labels, time range and
 * resolution, read each block in parallel and merge their sorted streams. Thread-safe.
 */
public final class BucketStore implements StoreServer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BucketStore.class);

    private final Bucket bkt;
    private final MetaFetcher fetcher;
    private final BucketStoreOptions opts;
    private final BucketStoreMetrics metrics;
    private final GapPartitioner partitioner;
    private final ExecutorService executor;
    private final Semaphore gate;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, BucketBlock> blocks = new HashMap<>();
    private final Map<Labels, BlockSet> sets = new HashMap<>();
    private volatile List<Labels> labelSets = List.of();

    public BucketStore(Bucket bkt, MetaFetcher fetcher, BucketStoreOptions opts, MeterRegistry registry) {
        this.bkt = Objects.requireNonNull(bkt, "bkt");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.opts = Objects.requireNonNull(opts, "opts");
        this.metrics = new BucketStoreMetrics(registry);
        this.partitioner = new GapPartitioner(opts.maxGap);
        // Ready threads for the blocks of a few calls at once: each block's selection and chunk reads.
        this.executor = Pools.cached("bucket-store", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        this.gate = opts.maxConcurrency > 0 ? new Semaphore(opts.maxConcurrency, true) : null;
        try {
            Files.createDirectories(opts.dataDir);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "create data dir " + opts.dataDir + ": " + e, e);
        }
    }

    // ---- sync ----

    /**
     * Fetches the bucket's view and adds new blocks (building their index-headers) and drops
     * blocks gone from it. Blocks that fail to load are logged, counted and retried next sync.
     * Throws when the bucket cannot be listed.
     */
    public synchronized void sync() {
        MetaFetcher.Result res = fetcher.fetch();
        List<BlockMeta> added = new ArrayList<>();
        for (BlockMeta m : res.metas().values()) {
            if (block(m.ulid()) == null) {
                added.add(m);
            }
        }
        Semaphore slots = new Semaphore(opts.blockSyncConcurrency);
        List<CompletableFuture<Void>> loads = new ArrayList<>(added.size());
        for (BlockMeta m : added) {
            slots.acquireUninterruptibly();
            loads.add(CompletableFuture.runAsync(() -> {
                try {
                    addBlock(m);
                } finally {
                    slots.release();
                }
            }, executor));
        }
        for (CompletableFuture<Void> f : loads) {
            try {
                f.join();
            } catch (CompletionException e) {
                // addBlock logs and counts its own failures.
            }
        }
        if (res.complete()) {
            List<String> gone = new ArrayList<>();
            lock.readLock().lock();
            try {
                for (String id : blocks.keySet()) {
                    if (!res.metas().containsKey(id)) {
                        gone.add(id);
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
            for (String id : gone) {
                removeBlock(id);
            }
        }
        lock.readLock().lock();
        try {
            TreeSet<Labels> ls = new TreeSet<>();
            for (BlockSet s : sets.values()) {
                if (!s.isEmpty() && !s.labels.isEmpty()) {
                    ls.add(s.labels);
                }
            }
            labelSets = List.copyOf(ls);
        } finally {
            lock.readLock().unlock();
        }
        if (!res.complete()) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "sync blocks: incomplete view of bucket " + bkt.name()
                    + ": some meta.json files could not be read; kept the blocks already loaded");
        }
    }

    /** {@link #sync()}, then removes local directories of blocks this store does not serve. */
    public void initialSync() {
        sync();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(opts.dataDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Ulid.isValid(n) && n.length() == 26 && block(n) == null) {
                    MetaFetcher.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            log.atWarn().addKeyValue("dir", opts.dataDir).addKeyValue("err", e.toString()).log("clean data dir failed; ignoring");
        }
    }

    private BucketBlock block(String id) {
        lock.readLock().lock();
        try {
            return blocks.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void addBlock(BlockMeta m) {
        String id = m.ulid();
        long start = System.nanoTime();
        metrics.blockLoads.increment();
        Path dir = opts.dataDir.resolve(id);
        Path file = dir.resolve(IndexHeaderWriter.FILENAME);
        try {
            if (BlockSet.resolutionIndex(m.thanos().downsampleResolution()) < 0) {
                throw ThanosException.badData("unsupported downsampling resolution " + m.thanos().downsampleResolution());
            }
            if (!headerLooksValid(file)) {
                buildHeader(id, file);
            }
            LazyIndexHeader header = new LazyIndexHeader(file, id, () -> buildHeader(id, file), metrics, System::nanoTime);
            for (BlockMeta.File f : m.thanos().files()) {
                if (f.relPath().startsWith("chunks/")) {
                    bkt.knownSize(id + "/" + f.relPath(), f.sizeBytes());
                }
            }
            BucketBlock b = new BucketBlock(m, bkt, opts.indexCache, header, partitioner,
                    estimate(m.thanos().indexStats().seriesMaxSize(), opts.estimatedMaxSeriesSize, m, "index", m.stats().numSeries(), 4),
                    estimate(m.thanos().indexStats().chunkMaxSize(), opts.estimatedMaxChunkSize, m, "chunks/", m.stats().numChunks(), 8),
                    dir, metrics, executor);
            if (!opts.lazyIndexHeader) {
                header.acquire(); // held for the block's lifetime: never unmapped while loaded
            }
            lock.writeLock().lock();
            try {
                blocks.put(id, b);
                sets.computeIfAbsent(b.extLabels, BlockSet::new).add(b);
            } finally {
                lock.writeLock().unlock();
            }
            metrics.blocksLoaded.incrementAndGet();
            metrics.blockLoadDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            log.atDebug().addKeyValue("block", id).addKeyValue("elapsed", Duration.ofNanos(System.nanoTime() - start))
                    .log("loaded new block");
        } catch (RuntimeException e) {
            metrics.blockLoadFailures.increment();
            MetaFetcher.deleteQuietly(dir);
            log.atWarn().addKeyValue("block", id).addKeyValue("err", e.getMessage()).log("loading block failed");
            throw e;
        }
    }

    /**
     * How many bytes to read for one series or chunk, ending a merged range read. Thanos uses the
     * index stats of meta.json when the compactor wrote them, else the configured maximum. Without
     * stats, a multiple of the average size from the block's file list bounds the over-read: only
     * the last entry of each read can be cut short, and it is then refetched alone.
     */
    static int estimate(long maxFromStats, int configured, BlockMeta m, String filePrefix, long count, int factor) {
        if (maxFromStats > 0) {
            return (int) Math.min(maxFromStats, configured);
        }
        long bytes = 0;
        for (BlockMeta.File f : m.thanos().files()) {
            if (f.relPath().startsWith(filePrefix)) {
                bytes += f.sizeBytes();
            }
        }
        if (bytes <= 0 || count <= 0) {
            return configured;
        }
        long est = factor * (bytes / count + 1);
        return (int) Math.max(Math.min(est, configured), Math.min(512, configured));
    }

    private void buildHeader(String id, Path file) {
        long start = System.nanoTime();
        IndexHeaderWriter.build(bkt, id, file);
        metrics.indexHeaderDownloadDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /** A cheap check of an index-header left by a previous run: header, length and TOC checksum. */
    private static boolean headerLooksValid(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < IndexHeaderWriter.HEADER_LEN + IndexHeaderWriter.TOC_LEN) {
                return false;
            }
            ByteBuffer h = ByteBuffer.allocate(IndexHeaderWriter.HEADER_LEN);
            ch.read(h, 0);
            ByteBuffer toc = ByteBuffer.allocate(IndexHeaderWriter.TOC_LEN);
            ch.read(toc, size - IndexHeaderWriter.TOC_LEN);
            return h.getInt(0) == IndexHeaderWriter.MAGIC && (h.get(4) & 0xff) == IndexHeaderWriter.VERSION
                    && toc.getInt(16) == io.thanosj.tsdb.encoding.Decbuf.crc32c(toc, 0, 16);
        } catch (IOException e) {
            return false;
        }
    }

    private void removeBlock(String id) {
        BucketBlock b;
        lock.writeLock().lock();
        try {
            b = blocks.remove(id);
            if (b != null) {
                BlockSet s = sets.get(b.extLabels);
                s.remove(b);
                if (s.isEmpty()) {
                    sets.remove(b.extLabels);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (b == null) {
            return;
        }
        try {
            b.close();
            MetaFetcher.deleteQuietly(b.dir);
            metrics.blockDrops.increment();
            metrics.blocksLoaded.decrementAndGet();
            log.atInfo().addKeyValue("block", id).log("dropped outdated block");
        } catch (RuntimeException e) {
            metrics.blockDropFailures.increment();
            log.atWarn().addKeyValue("block", id).addKeyValue("err", e.toString()).log("drop of outdated block failed");
        }
    }

    /** Unmaps index-headers idle for longer than the configured timeout; returns how many. */
    public int unloadIdleIndexHeaders() {
        if (!opts.lazyIndexHeader || opts.indexHeaderIdleTimeout.isZero()) {
            return 0;
        }
        long idle = opts.indexHeaderIdleTimeout.toNanos();
        int n = 0;
        for (BucketBlock b : snapshot()) {
            if (b.header.unloadIfIdle(idle)) {
                n++;
            }
        }
        return n;
    }

    /** Loaded blocks. */
    public int numBlocks() {
        lock.readLock().lock();
        try {
            return blocks.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Heap held by mapped index-headers (sampled symbols and postings offsets). */
    public long indexHeaderHeapBytes() {
        long n = 0;
        for (BucketBlock b : snapshot()) {
            n += b.header.heapBytes();
        }
        return n;
    }

    private List<BucketBlock> snapshot() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(blocks.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- StoreAPI ----

    private long limitMin(long t) {
        return Math.max(t, opts.minTime.millis(opts.clockMillis.getAsLong()));
    }

    private long limitMax(long t) {
        return Math.min(t, opts.maxTime.millis(opts.clockMillis.getAsLong()));
    }

    @Override
    public SeriesSet series(SeriesRequest r) {
        List<Matcher> ms = Requests.checkSeries(r);
        long mint = limitMin(r.getMinTime());
        long maxt = limitMax(r.getMaxTime());
        if (gate != null) {
            try {
                gate.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ThanosException(ErrorCode.CANCELED, "select series: interrupted while waiting for a free Series slot");
            }
        }
        metrics.inflightSeriesCalls.incrementAndGet();
        List<BlockSeriesSet> parts = new ArrayList<>();
        try {
            QueryLimits limits = new QueryLimits(opts.maxSeries, opts.maxChunks(), opts.maxBytes, metrics);
            lock.readLock().lock();
            try {
                for (BlockSet s : sets.values()) {
                    List<Matcher> bm = s.blockMatchers(ms);
                    // As in Thanos, matchers only on external labels select no series.
                    if (bm == null || bm.isEmpty()) {
                        continue;
                    }
                    for (BucketBlock b : s.getFor(mint, maxt, r.getMaxResolutionWindow())) {
                        parts.add(new BlockSeriesSet(b, bm, mint, maxt, r.getSkipChunks(), r.getWithoutReplicaLabelsList(),
                                r.getAggregatesList(), limits, executor));
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
            metrics.seriesBlocksQueried.record(parts.size());
            long start = System.nanoTime();
            CompletableFuture.allOf(parts.stream().map(BlockSeriesSet::selected).toArray(CompletableFuture[]::new))
                    .whenComplete((v, e) -> metrics.seriesGetAllDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
            return new Gated(SeriesSets.merge(parts, r.getLimit()), parts);
        } catch (RuntimeException e) {
            parts.forEach(BlockSeriesSet::close);
            release();
            throw e;
        }
    }

    private void release() {
        metrics.inflightSeriesCalls.decrementAndGet();
        if (gate != null) {
            gate.release();
        }
    }

    /** Releases the concurrency slot once, when the merged stream is closed or exhausted. */
    private final class Gated implements SeriesSet {
        private final SeriesSet in;
        private final List<BlockSeriesSet> parts;
        private final long start = System.nanoTime();
        private boolean started;
        private boolean released;
        private long series;

        Gated(SeriesSet in, List<BlockSeriesSet> parts) {
            this.in = in;
            this.parts = parts;
        }

        @Override
        public boolean next() {
            if (!started) {
                started = true;
                // The merge needs every block's first series: take the selections no pool thread
                // has started, last submitted first (the pool picks them up in submission order).
                for (int i = parts.size() - 1; i >= 0; i--) {
                    parts.get(i).help();
                }
            }
            boolean ok;
            try {
                ok = in.next();
            } catch (RuntimeException e) {
                done();
                throw e;
            }
            if (ok) {
                series++;
            } else {
                done();
            }
            return ok;
        }

        private void done() {
            if (!released) {
                released = true;
                metrics.resultSeries.record(series);
                metrics.seriesMergeDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                release();
            }
        }

        @Override
        public Labels labels() {
            return in.labels();
        }

        @Override
        public List<AggrChunk> chunks() {
            return in.chunks();
        }

        @Override
        public List<String> warnings() {
            return in.warnings();
        }

        @Override
        public void close() {
            try {
                in.close();
            } finally {
                done();
            }
        }
    }

    /** Blocks of sets matching the matchers' external labels, overlapping the range, with their matchers. */
    private long[] labelRange(long start, long end) {
        boolean allTime = start == 0 && end == 0;
        return new long[] {allTime ? Long.MIN_VALUE : limitMin(start), allTime ? Long.MAX_VALUE : limitMax(end)};
    }

    private Map<BucketBlock, List<Matcher>> labelBlocks(List<Matcher> ms, long start, long end) {
        long[] range = labelRange(start, end);
        long mint = range[0];
        long maxt = range[1];
        Map<BucketBlock, List<Matcher>> out = new LinkedHashMap<>();
        lock.readLock().lock();
        try {
            for (BlockSet s : sets.values()) {
                List<Matcher> bm = s.blockMatchers(ms);
                if (bm == null) {
                    continue;
                }
                for (BucketBlock b : s.all()) {
                    if (b.overlaps(mint, maxt)) {
                        out.put(b, bm);
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest r) {
        List<Matcher> ms = Requests.checkLabelNames(r);
        Map<BucketBlock, List<Matcher>> bs = labelBlocks(ms, r.getStart(), r.getEnd());
        long[] range = labelRange(r.getStart(), r.getEnd());
        QueryLimits limits = new QueryLimits(opts.maxSeries, 0, opts.maxBytes, metrics);
        List<Set<String>> perBlock = perBlock(bs, (b, bm) -> {
            Set<String> names = new TreeSet<>(Utf8Order::compare);
            IndexHeaderReader h = b.header.acquire();
            try {
                if (bm.isEmpty()) {
                    names.addAll(h.labelNames());
                } else {
                    forEachSeries(new BlockReader(b, h, limits), bm, range, limits, lb -> {
                        Labels l = lb.build();
                        for (int i = 0; i < l.size(); i++) {
                            names.add(l.name(i));
                        }
                    });
                }
            } finally {
                b.header.release();
            }
            if (!names.isEmpty() || bm.isEmpty()) {
                for (int i = 0; i < b.extLabels.size(); i++) {
                    names.add(b.extLabels.name(i));
                }
            }
            return names;
        });
        TreeSet<String> all = new TreeSet<>(Utf8Order::compare);
        perBlock.forEach(all::addAll);
        return LabelNamesResponse.newBuilder().addAllNames(limited(all, r.getLimit())).build();
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest r) {
        List<Matcher> ms = Requests.checkLabelValues(r);
        String name = r.getLabel();
        Map<BucketBlock, List<Matcher>> bs = labelBlocks(ms, r.getStart(), r.getEnd());
        long[] range = labelRange(r.getStart(), r.getEnd());
        QueryLimits limits = new QueryLimits(opts.maxSeries, 0, opts.maxBytes, metrics);
        List<Set<String>> perBlock = perBlock(bs, (b, bm) -> {
            Set<String> values = new TreeSet<>(Utf8Order::compare);
            String ext = b.extLabels.get(name);
            IndexHeaderReader h = b.header.acquire();
            try {
                if (!ext.isEmpty()) {
                    // The external label wins over any series label of that name.
                    if (bm.isEmpty()) {
                        values.add(ext);
                    } else {
                        boolean[] any = new boolean[1];
                        forEachSeries(new BlockReader(b, h, limits), bm, range, limits, lb -> any[0] = true);
                        if (any[0]) {
                            values.add(ext);
                        }
                    }
                } else if (bm.isEmpty()) {
                    values.addAll(h.labelValues(name));
                } else {
                    List<Matcher> with = new ArrayList<>(bm);
                    with.add(Matcher.of(MatchType.NOT_EQUAL, name, ""));
                    forEachSeries(new BlockReader(b, h, limits), with, range, limits, lb -> values.add(lb.get(name)));
                }
            } finally {
                b.header.release();
            }
            return values;
        });
        TreeSet<String> all = new TreeSet<>(Utf8Order::compare);
        perBlock.forEach(all::addAll);
        all.remove("");
        return LabelValuesResponse.newBuilder().addAllValues(limited(all, r.getLimit())).build();
    }

    private static List<String> limited(TreeSet<String> s, long limit) {
        List<String> out = new ArrayList<>(s);
        return limit > 0 && out.size() > limit ? out.subList(0, (int) limit) : out;
    }

    private interface BlockWork<T> {
        T run(BucketBlock b, List<Matcher> matchers);
    }

    private <T> List<T> perBlock(Map<BucketBlock, List<Matcher>> bs, BlockWork<T> work) {
        List<CompletableFuture<T>> fs = new ArrayList<>(bs.size());
        for (Map.Entry<BucketBlock, List<Matcher>> e : bs.entrySet()) {
            fs.add(CompletableFuture.supplyAsync(() -> work.run(e.getKey(), e.getValue()), executor));
        }
        List<T> out = new ArrayList<>(fs.size());
        List<BucketBlock> keys = new ArrayList<>(bs.keySet());
        for (int i = 0; i < fs.size(); i++) {
            try {
                out.add(fs.get(i).join());
            } catch (CompletionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                if (c instanceof ThanosException te) {
                    throw new ThanosException(te.code(), "read labels of block " + keys.get(i).id + ": " + te.getMessage(), te);
                }
                throw new ThanosException(ErrorCode.INTERNAL, "read labels of block " + keys.get(i).id + ": " + c, c);
            }
        }
        return out;
    }

    /**
     * Decodes the labels of every series matching {@code ms} with a chunk in {@code range}, in
     * batches. As in Thanos, matchers only on external labels select no series.
     */
    private static void forEachSeries(BlockReader r, List<Matcher> ms, long[] range, QueryLimits limits,
            java.util.function.Consumer<LabelsBuilder> f) {
        if (ms.isEmpty()) {
            return;
        }
        long[] refs = r.expandedPostings(ms);
        limits.reserveSeries(refs.length);
        LabelsBuilder lb = new LabelsBuilder();
        ChunkMetas chks = new ChunkMetas();
        byte[][] bodies = new byte[Math.min(BlockSeriesSet.SERIES_BATCH, refs.length)][];
        for (int from = 0; from < refs.length; from += BlockSeriesSet.SERIES_BATCH) {
            int to = Math.min(refs.length, from + BlockSeriesSet.SERIES_BATCH);
            r.loadSeries(refs, from, to, bodies);
            for (int i = from; i < to; i++) {
                if (r.decodeSeries(bodies[i - from], refs[i], lb, chks, range[0], range[1], true)) {
                    f.accept(lb);
                }
            }
        }
    }

    /** External label sets of the loaded blocks and their time range, cut to {@code --min-time}/{@code --max-time}. */
    @Override
    public StoreInfo info() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        lock.readLock().lock();
        try {
            for (BucketBlock b : blocks.values()) {
                min = Math.min(min, b.meta.minTime());
                max = Math.max(max, b.meta.maxTime() - 1);
            }
        } finally {
            lock.readLock().unlock();
        }
        if (min == Long.MAX_VALUE) {
            return new StoreInfo(labelSets, Long.MAX_VALUE, Long.MIN_VALUE, true);
        }
        return new StoreInfo(labelSets, limitMin(min), limitMax(max), true);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        for (BucketBlock b : snapshot()) {
            b.close();
        }
    }
}
