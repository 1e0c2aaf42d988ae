package io.thanosj.cli.tools;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.InputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the meta.json of every block in a bucket, as Thanos's MetaFetcher does for the tools:
 * top-level directories named by a ULID, fetched {@link #CONCURRENCY} at a time. A block without
 * meta.json (an upload in progress or aborted) or with a corrupted one is skipped with a log line;
 * any other read error fails the whole fetch.
 */
final class BlockMetaFetcher {
    static final int CONCURRENCY = 16;
    private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}");
    private static final Logger LOG = LoggerFactory.getLogger(BlockMetaFetcher.class);

    private BlockMetaFetcher() {
    }

    static boolean isUlid(String s) {
        return ULID.matcher(s).matches();
    }

    /** The metas of all complete blocks, sorted by ULID (which is creation order). */
    static List<BlockMeta> fetch(Bucket bucket) {
        List<String> ids = new ArrayList<>();
        bucket.iter("", false, name -> {
            if (name.endsWith(Bucket.DIR_DELIM)) {
                String id = name.substring(0, name.length() - 1);
                if (isUlid(id)) {
                    ids.add(id);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(CONCURRENCY, ids.size())), r -> {
            Thread t = new Thread(r, "meta-fetcher");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<BlockMeta>> futures = new ArrayList<>(ids.size());
            for (String id : ids) {
                futures.add(pool.submit(() -> readMeta(bucket, id)));
            }
            List<BlockMeta> metas = new ArrayList<>(ids.size());
            for (Future<BlockMeta> f : futures) {
                BlockMeta m = get(f);
                if (m != null) {
                    metas.add(m);
                }
            }
            metas.sort(Comparator.comparing(BlockMeta::ulid));
            return metas;
        } finally {
            pool.shutdownNow();
        }
    }

    private static BlockMeta get(Future<BlockMeta> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ThanosException(ErrorCode.INTERNAL, "fetch block metas: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThanosException(ErrorCode.CANCELED, "fetch block metas: interrupted", e);
        }
    }

    private static BlockMeta readMeta(Bucket bucket, String id) {
        String path = id + Bucket.DIR_DELIM + BlockMeta.FILENAME;
        try (InputStream in = bucket.get(path)) {
            BlockMeta m = BlockMeta.read(in, path);
            if (!m.ulid().equals(id)) {
                LOG.atWarn().addKeyValue("block", id).addKeyValue("meta_ulid", m.ulid())
                        .log("meta.json names another block; skipping");
                return null;
            }
            return m;
        } catch (ThanosException e) {
            if (Bucket.isObjNotFound(e)) {
                LOG.atDebug().addKeyValue("block", id).log("block has no meta.json, partial upload; skipping");
                return null;
            }
            if (e.code() == ErrorCode.CORRUPTED || e.code() == ErrorCode.BAD_DATA) {
                LOG.atWarn().addKeyValue("block", id).addKeyValue("err", e.getMessage()).log("corrupted meta.json; skipping");
                return null;
            }
            throw e;
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "read " + path + " in bucket " + bucket.name() + ": " + e.getMessage(), e);
        }
    }
}
