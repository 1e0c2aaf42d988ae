package io.thanosj.store.bucket;

import com.github.f4b6a3.ulid.Ulid;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the blocks of a bucket and loads their {@code meta.json} (Thanos's {@code MetaFetcher} with
 * the concurrent lister): one listing of the bucket root, then per block directory an existence
 * check and, for blocks not seen before, a read of meta.json, kept in memory and on disk under
 * {@code <cache-dir>/<ULID>/meta.json} so a restart reads nothing twice. Blocks without meta.json
 * are partial uploads (or being deleted) and are skipped; an unparsable meta.json is corrupted.
 * The filters then drop what this store must not serve.
 *
 * <p>Metrics: {@code thanos_blocks_meta_syncs_total}, {@code ..._sync_failures_total},
 * {@code ..._sync_duration_seconds} and the gauge {@code thanos_blocks_meta_synced{state}}.
 */
public final class MetaFetcher {
    private static final Logger log = LoggerFactory.getLogger(MetaFetcher.class);

    static final String LOADED = "loaded";
    static final String NO_META = "no-meta-json";
    static final String CORRUPTED = "corrupted-meta-json";
    static final String FAILED = "failed";
    private static final List<String> STATES = List.of(CORRUPTED, NO_META, LOADED, MetaFilters.TOO_FRESH, FAILED,
            MetaFilters.LABEL_EXCLUDED, MetaFilters.TIME_EXCLUDED, MetaFilters.DUPLICATE, MetaFilters.MARKED_FOR_DELETION,
            "marked-for-no-compact", "parquet-migrated");

    /**
     * One fetch: the blocks to serve, blocks skipped as partial (ULID to reason), and whether the
     * view is complete. An incomplete view (some meta.json could not be read) may be missing
     * blocks; callers should add what it has but not drop blocks absent from it.
     */
    public record Result(Map<String, BlockMeta> metas, Map<String, String> partial, boolean complete) {}

    private final Bucket bkt;
    private final Path cacheDir;
    private final List<MetaFilter> filters;
    private final Executor executor;
    private final Map<String, BlockMeta> cached = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> synced = new LinkedHashMap<>();
    private final Counter syncs;
    private final Counter failures;
    private final Timer duration;

    /**
     * @param cacheDir where meta.json files are kept between restarts, or null for memory only
     * @param executor runs the per-block reads (Thanos's {@code --block-meta-fetch-concurrency})
     */
    public MetaFetcher(Bucket bkt, Path cacheDir, List<MetaFilter> filters, Executor executor, MeterRegistry registry) {
        this.bkt = Objects.requireNonNull(bkt, "bkt");
        this.cacheDir = cacheDir;
        this.filters = List.copyOf(filters);
        this.executor = Objects.requireNonNull(executor, "executor");
        for (String s : STATES) {
            AtomicLong v = new AtomicLong();
            synced.put(s, v);
            Gauge.builder("thanos.blocks.meta.synced", v, AtomicLong::get).tag("state", s)
                    .description("Number of block metadata synced").register(registry);
        }
        Gauge.builder("thanos.blocks.meta.modified", () -> 0).tag("modified", "replica-label-removed")
                .description("Number of blocks whose metadata changed").register(registry);
        this.syncs = Counter.builder("thanos.blocks.meta.syncs").description("Total blocks metadata synchronization attempts")
                .register(registry);
        this.failures = Counter.builder("thanos.blocks.meta.sync.failures")
                .description("Total blocks metadata synchronization failures").register(registry);
        this.duration = Timer.builder("thanos.blocks.meta.sync.duration")
                .description("Duration of the blocks metadata synchronization in seconds")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(10),
                        Duration.ofSeconds(100), Duration.ofSeconds(300), Duration.ofSeconds(600), Duration.ofSeconds(1000))
                .register(registry);
    }

    private enum Outcome { LOADED, NO_META, CORRUPTED, FAILED }

    private record Loaded(String id, Outcome outcome, BlockMeta meta, String reason) {}

    /** Fetches and filters; throws a {@link ThanosException} when the bucket cannot be listed. */
    public Result fetch() {
        syncs.increment();
        long start = System.nanoTime();
        boolean ok = false;
        try {
            Result r = doFetch();
            ok = r.complete();
            return r;
        } finally {
            duration.record(Duration.ofNanos(System.nanoTime() - start));
            if (!ok) {
                failures.increment();
            }
        }
    }

    private Result doFetch() {
        List<String> ids = new ArrayList<>();
        bkt.iter("", name -> {
            if (name.endsWith("/")) {
                String id = name.substring(0, name.length() - 1);
                if (Ulid.isValid(id) && id.length() == 26) {
                    ids.add(id);
                }
            }
        });
        List<CompletableFuture<Loaded>> futures = new ArrayList<>(ids.size());
        for (String id : ids) {
            futures.add(CompletableFuture.supplyAsync(() -> load(id), executor));
        }
        Map<String, BlockMeta> metas = new TreeMap<>();
        Map<String, String> partial = new TreeMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String s : STATES) {
            counts.put(s, 0L);
        }
        int failed = 0;
        for (CompletableFuture<Loaded> f : futures) {
            Loaded l;
            try {
                l = f.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            switch (l.outcome) {
                case LOADED -> metas.put(l.id, l.meta);
                case NO_META -> {
                    partial.put(l.id, l.reason);
                    counts.merge(NO_META, 1L, Long::sum);
                }
                case CORRUPTED -> {
                    partial.put(l.id, l.reason);
                    counts.merge(CORRUPTED, 1L, Long::sum);
                }
                case FAILED -> {
                    failed++;
                    log.atWarn().addKeyValue("block", l.id).addKeyValue("err", l.reason).log("fetch block meta failed");
                }
            }
        }
        counts.put(FAILED, (long) failed);
        boolean complete = failed == 0;
        if (complete) {
            // Forget blocks gone from the bucket, in memory and on disk.
            cached.keySet().retainAll(metas.keySet());
            cleanCacheDir(metas.keySet());
        }
        for (MetaFilter f : filters) {
            f.filter(metas, state -> counts.merge(state, 1L, Long::sum));
        }
        counts.put(LOADED, (long) metas.size());
        counts.forEach((s, v) -> synced.computeIfAbsent(s, k -> new AtomicLong()).set(v));
        return new Result(metas, partial, complete);
    }

    private Loaded load(String id) {
        String metaName = id + "/" + BlockMeta.FILENAME;
        try {
            if (!bkt.exists(metaName)) {
                return new Loaded(id, Outcome.NO_META, null, "block " + id + " has no meta file");
            }
            BlockMeta m = cached.get(id);
            if (m == null) {
                m = readLocal(id);
            }
            if (m == null) {
                byte[] json;
                try (InputStream in = bkt.get(metaName)) {
                    json = in.readAllBytes();
                }
                try {
                    m = BlockMeta.read(json, id);
                } catch (ThanosException e) {
                    return new Loaded(id, Outcome.CORRUPTED, null, e.getMessage());
                }
                if (!m.ulid().equals(id)) {
                    return new Loaded(id, Outcome.CORRUPTED, null, "meta.json of block " + id + " names block " + m.ulid());
                }
                writeLocal(m);
            }
            cached.put(id, m);
            return new Loaded(id, Outcome.LOADED, m, null);
        } catch (ThanosException e) {
            if (Bucket.isObjNotFound(e)) {
                // Deleted between the existence check and the read.
                return new Loaded(id, Outcome.NO_META, null, "block " + id + " has no meta file");
            }
            return new Loaded(id, Outcome.FAILED, null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Loaded(id, Outcome.FAILED, null, "read " + metaName + ": " + e);
        }
    }

    private BlockMeta readLocal(String id) {
        if (cacheDir == null) {
            return null;
        }
        Path dir = cacheDir.resolve(id);
        if (!Files.exists(dir.resolve(BlockMeta.FILENAME))) {
            return null;
        }
        try {
            BlockMeta m = BlockMeta.readFromDir(dir);
            if (m.ulid().equals(id)) {
                return m;
            }
        } catch (ThanosException e) {
            log.atWarn().addKeyValue("dir", dir).addKeyValue("err", e.getMessage())
                    .log("best effort read of the local meta.json failed; removing cached block dir");
        }
        deleteQuietly(dir);
        return null;
    }

    private void writeLocal(BlockMeta m) {
        if (cacheDir == null) {
            return;
        }
        Path dir = cacheDir.resolve(m.ulid());
        try {
            Files.createDirectories(dir);
            m.writeToDir(dir);
        } catch (IOException | ThanosException e) {
            log.atWarn().addKeyValue("dir", dir).addKeyValue("err", e.getMessage()).log("cache meta.json on disk failed; ignoring");
        }
    }

    private void cleanCacheDir(java.util.Set<String> keep) {
        if (cacheDir == null || !Files.isDirectory(cacheDir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cacheDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Ulid.isValid(n) && !keep.contains(n)) {
                    deleteQuietly(p);
                }
            }
        } catch (NoSuchFileException ignored) {
            // Nothing cached yet.
        } catch (IOException e) {
            log.atWarn().addKeyValue("dir", cacheDir).addKeyValue("err", e.toString()).log("clean meta cache dir failed; ignoring");
        }
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort.
                }
            });
        } catch (NoSuchFileException ignored) {
            // Already gone.
        } catch (IOException e) {
            log.atWarn().addKeyValue("dir", dir).addKeyValue("err", e.toString()).log("remove dir failed; ignoring");
        }
    }

    /** Value of the synced gauge for a state, for tests. */
    long synced(String state) {
        AtomicLong v = synced.get(state);
        return v == null ? 0 : v.get();
    }
}
