package io.thanosj.store.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.f4b6a3.ulid.Ulid;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.bucket.BucketBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thanos's metadata filters (pkg/block/fetcher.go), with its state names for excluded blocks. */
public final class MetaFilters {
    private static final Logger log = LoggerFactory.getLogger(MetaFilters.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String TIME_EXCLUDED = "time-excluded";
    static final String LABEL_EXCLUDED = "label-excluded";
    static final String TOO_FRESH = "too-fresh";
    static final String DUPLICATE = "duplicate";
    static final String MARKED_FOR_DELETION = "marked-for-deletion";
    /** The label holding the block's ULID while the selector relabel config runs. */
    public static final String BLOCK_ID_LABEL = "__block_id";

    private MetaFilters() {}

    /** Keeps blocks overlapping {@code [min, max]}; relative bounds are resolved at each fetch. */
    public static MetaFilter timePartition(TimeOrDuration min, TimeOrDuration max, LongSupplier nowMillis) {
        return (metas, excluded) -> {
            long now = nowMillis.getAsLong();
            long lo = min.millis(now);
            long hi = max.millis(now);
            metas.values().removeIf(m -> {
                boolean out = !(m.maxTime() >= lo && m.minTime() <= hi);
                if (out) {
                    excluded.accept(TIME_EXCLUDED);
                }
                return out;
            });
        };
    }

    /**
     * Keeps blocks whose external labels, plus {@code __block_id}, survive the relabel config with
     * at least one label left: Thanos's label sharding across store gateways.
     */
    public static MetaFilter labelSharded(RelabelConfig config) {
        return (metas, excluded) -> {
            if (config.isEmpty()) {
                return;
            }
            metas.entrySet().removeIf(e -> {
                LabelsBuilder b = new LabelsBuilder(e.getValue().thanos().externalLabels());
                b.set(BLOCK_ID_LABEL, e.getKey());
                Labels out = config.process(b.build());
                boolean drop = out == null || out.isEmpty();
                if (drop) {
                    excluded.accept(LABEL_EXCLUDED);
                }
                return drop;
            });
        };
    }

    /**
     * Drops blocks younger than {@code delayMillis} (by upload time, or the ULID's time) unless a
     * compactor or repair wrote them: for eventually consistent object stores.
     */
    public static MetaFilter consistencyDelay(long delayMillis, LongSupplier nowMillis) {
        return (metas, excluded) -> {
            if (delayMillis <= 0) {
                return;
            }
            long now = nowMillis.getAsLong();
            metas.entrySet().removeIf(e -> {
                BlockMeta m = e.getValue();
                String source = m.thanos().source();
                if (source.equals("compactor") || source.equals("bucket.repair") || source.equals("compactor.repair")) {
                    return false;
                }
                long created = createdMillis(e.getKey(), m);
                boolean fresh = now - created < delayMillis;
                if (fresh) {
                    excluded.accept(TOO_FRESH);
                }
                return fresh;
            });
        };
    }

    private static long createdMillis(String id, BlockMeta m) {
        String upload = m.thanos().uploadTime();
        if (upload != null && !upload.isEmpty()) {
            try {
                return Instant.parse(upload).toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // Fall back to the ULID.
            }
        }
        return Ulid.isValid(id) ? Ulid.from(id).getTime() : 0;
    }

    /**
     * Drops blocks whose {@code deletion-mark.json} is older than {@code delayMillis}, so a store
     * keeps serving a block being replaced until the compactor's delete delay has mostly passed.
     * Marks are read concurrently on {@code executor}; an unreadable mark is logged and ignored, a
     * bucket failure fails the fetch.
     */
    public static MetaFilter ignoreDeletionMarks(Bucket bkt, long delayMillis, LongSupplier nowMillis, Executor executor) {
        return (metas, excluded) -> {
            long nowSec = nowMillis.getAsLong() / 1000;
            List<String> ids = new ArrayList<>(metas.keySet());
            List<CompletableFuture<Long>> marks = new ArrayList<>(ids.size());
            for (String id : ids) {
                marks.add(CompletableFuture.supplyAsync(() -> deletionTime(bkt, id), executor));
            }
            for (int i = 0; i < ids.size(); i++) {
                long t;
                try {
                    t = marks.get(i).join();
                } catch (CompletionException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    throw c instanceof ThanosException te ? te
                            : new ThanosException(ErrorCode.UNAVAILABLE, "filter blocks marked for deletion: " + c, c);
                }
                if (t >= 0 && nowSec - t > delayMillis / 1000) {
                    metas.remove(ids.get(i));
                    excluded.accept(MARKED_FOR_DELETION);
                }
            }
        };
    }

    /** The mark's deletion time in Unix seconds, or -1 without a (readable) mark. */
    private static long deletionTime(Bucket bkt, String id) {
        String name = id + "/" + BucketBlocks.DELETION_MARK;
        byte[] b;
        try (InputStream in = bkt.get(name)) {
            b = in.readAllBytes();
        } catch (ThanosException e) {
            if (Bucket.isObjNotFound(e)) {
                return -1;
            }
            throw e;
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read " + name + " from bucket " + bkt.name() + ": " + e, e);
        }
        try {
            JsonNode n = JSON.readTree(b);
            JsonNode t = n.get("deletion_time");
            if (t == null || !t.canConvertToLong()) {
                throw new IOException("no deletion_time");
            }
            return t.asLong();
        } catch (IOException e) {
            log.atWarn().addKeyValue("block", id).addKeyValue("err", e.getMessage())
                    .log("found partial deletion-mark.json; if it persists, consider deleting it from the bucket");
            return -1;
        }
    }

    /**
     * Drops blocks whose sources are all covered by another block of the same compaction group
     * (same external labels and resolution): the inputs of a compaction that still linger while
     * the compactor has not deleted them.
     */
    public static MetaFilter deduplicate() {
        return (metas, excluded) -> {
            Map<String, List<BlockMeta>> groups = new HashMap<>();
            for (BlockMeta m : metas.values()) {
                String key = m.thanos().downsampleResolution() + "@" + m.thanos().externalLabels();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
            }
            for (List<BlockMeta> g : groups.values()) {
                g.sort(Comparator.<BlockMeta>comparingInt(m -> -m.compaction().sources().size()).thenComparing(BlockMeta::ulid));
                List<Set<String>> covering = new ArrayList<>();
                for (BlockMeta m : g) {
                    boolean dup = false;
                    for (Set<String> c : covering) {
                        if (c.containsAll(m.compaction().sources())) {
                            dup = true;
                            break;
                        }
                    }
                    if (dup) {
                        metas.remove(m.ulid());
                        excluded.accept(DUPLICATE);
                    } else {
                        covering.add(new HashSet<>(m.compaction().sources()));
                    }
                }
            }
        };
    }
}
