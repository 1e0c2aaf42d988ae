package io.thanosj.store.bucket;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.Aggr;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.store.SeriesSet;
import io.thanosj.tsdb.chunk.ChunkMetas;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The series of one block for one Series call, streamed in two phases that start on the
 * executor as soon as the set is created, so that all blocks of a call work in parallel:
 * <ol>
 *   <li>Select: expand postings, then read and decode series entries in batches of
 *       {@value #SERIES_BATCH}, keeping the labels (with external labels, without the request's
 *       replica labels) and the metas of chunks in the time range, in primitive arrays. Adding
 *       external labels can break the index's label order, so the selection is re-sorted when
 *       needed; chunks are not read yet, so this holds labels and metas only.</li>
 *   <li>Fetch: chunks of batches of series with range reads, the next batch prefetched while the
 *       caller consumes the current one.</li>
 * </ol>
 */
final class BlockSeriesSet implements SeriesSet {
    static final int SERIES_BATCH = 10_000;
    /** Chunks per fetch batch: large enough for few round trips, small enough to stream. */
    static final int CHUNK_BATCH = 20_000;

    /** Phase 1's output. */
    private static final class Selection {
        Labels[] labels = new Labels[64];
        int[] chunkStart = new int[65];
        long[] refs = new long[256];
        long[] mints = new long[256];
        long[] maxts = new long[256];
        int n;
        int chunks;
        /** The first fetch batch, started as soon as the selection is known. */
        CompletableFuture<Batch> first;
        int firstTo;

        void add(Labels l, ChunkMetas m) {
            if (n + 1 >= labels.length) {
                labels = Arrays.copyOf(labels, labels.length * 2);
                chunkStart = Arrays.copyOf(chunkStart, labels.length + 1);
            }
            if (chunks + m.size() > refs.length) {
                int cap = Math.max(refs.length * 2, chunks + m.size());
                refs = Arrays.copyOf(refs, cap);
                mints = Arrays.copyOf(mints, cap);
                maxts = Arrays.copyOf(maxts, cap);
            }
            for (int i = 0; i < m.size(); i++) {
                refs[chunks] = m.ref(i);
                mints[chunks] = m.minTime(i);
                maxts[chunks] = m.maxTime(i);
                chunks++;
            }
            labels[n++] = l;
            chunkStart[n] = chunks;
        }

        /** Sorts by labels (stable), permuting the chunk metas along. */
        void sort() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> labels[a].compareTo(labels[b]));
            Labels[] l2 = new Labels[n];
            int[] cs2 = new int[n + 1];
            long[] r2 = new long[chunks];
            long[] mi2 = new long[chunks];
            long[] ma2 = new long[chunks];
            int c = 0;
            for (int i = 0; i < n; i++) {
                int o = order[i];
                l2[i] = labels[o];
                int from = chunkStart[o];
                int len = chunkStart[o + 1] - from;
                System.arraycopy(refs, from, r2, c, len);
                System.arraycopy(mints, from, mi2, c, len);
                System.arraycopy(maxts, from, ma2, c, len);
                c += len;
                cs2[i + 1] = c;
            }
            labels = l2;
            chunkStart = cs2;
            refs = r2;
            mints = mi2;
            maxts = ma2;
        }
    }

    /** One fetched batch: series {@code [from, to)} of the selection with their chunks. */
    private record Batch(int from, int to, List<AggrChunk>[] chunks) {}

    private final BucketBlock block;
    private final List<Matcher> matchers;
    private final long mint;
    private final long maxt;
    private final boolean skipChunks;
    private final List<String> withoutLabels;
    private final QueryLimits limits;
    private final List<Aggr> aggregates;
    private final Executor executor;
    private final CompletableFuture<Selection> selection;
    private volatile boolean closed;
    private Selection sel;
    private CompletableFuture<Batch> next;
    private Batch batch;
    private int pos = -1;
    private int fetchedUpTo;

    BlockSeriesSet(BucketBlock block, List<Matcher> matchers, long mint, long maxt, boolean skipChunks,
            List<String> withoutLabels, List<Aggr> aggregates, QueryLimits limits, Executor executor) {
        this.block = block;
        this.matchers = matchers;
        this.mint = mint;
        this.maxt = maxt;
        this.skipChunks = skipChunks;
        this.withoutLabels = withoutLabels;
        this.aggregates = aggregates;
        this.limits = limits;
        this.executor = executor;
        this.selection = CompletableFuture.supplyAsync(this::select, executor);
    }

    /** Completes when the selection phase is done (successfully or not); for the get-all timing. */
    CompletableFuture<?> selected() {
        return selection;
    }

    private Selection select() {
        IndexHeaderReader h = block.header.acquire();
        try {
            BlockReader r = new BlockReader(block, h, limits);
            long[] refs = r.expandedPostings(matchers);
            Selection s = new Selection();
            LabelsBuilder lb = new LabelsBuilder();
            ChunkMetas metas = new ChunkMetas();
            Labels ext = block.extLabels;
            Labels prev = null;
            boolean sorted = true;
            byte[][] bodies = new byte[Math.min(SERIES_BATCH, refs.length)][];
            for (int from = 0; from < refs.length && !closed; from += SERIES_BATCH) {
                int to = Math.min(refs.length, from + SERIES_BATCH);
                r.loadSeries(refs, from, to, bodies);
                int matched = 0;
                int chunks = 0;
                for (int i = from; i < to; i++) {
                    if (!r.decodeSeries(bodies[i - from], refs[i], lb, metas, mint, maxt, skipChunks)) {
                        continue;
                    }
                    for (int k = 0; k < ext.size(); k++) {
                        lb.set(ext.name(k), ext.value(k));
                    }
                    for (int k = 0; k < withoutLabels.size(); k++) {
                        lb.delete(withoutLabels.get(k));
                    }
                    Labels l = lb.build();
                    if (prev != null && prev.compareTo(l) > 0) {
                        sorted = false;
                    }
                    prev = l;
                    if (skipChunks) {
                        metas.clear();
                    }
                    s.add(l, metas);
                    matched++;
                    chunks += metas.size();
                }
                Arrays.fill(bodies, null);
                limits.reserveSeries(matched);
                if (!skipChunks) {
                    limits.reserveChunks(chunks);
                }
            }
            if (!sorted) {
                s.sort();
            }
            if (s.n > 0 && !closed) {
                // Start reading chunks now rather than when the merge first asks, so that all
                // blocks of a call fetch their first batch in parallel.
                s.firstTo = batchEnd(s, 0);
                int to = s.firstTo;
                s.first = CompletableFuture.supplyAsync(() -> fetch(s, 0, to), executor);
            }
            return s;
        } finally {
            block.header.release();
        }
    }

    /** End of the fetch batch starting at series {@code from}: up to {@value #CHUNK_BATCH} chunks. */
    private int batchEnd(Selection s, int from) {
        if (skipChunks) {
            return s.n;
        }
        int to = from;
        while (to < s.n && (to == from || s.chunkStart[to + 1] - s.chunkStart[from] <= CHUNK_BATCH)) {
            to++;
        }
        return to;
    }

    private CompletableFuture<Batch> fetchNext() {
        if (fetchedUpTo >= sel.n || closed) {
            return null;
        }
        int from = fetchedUpTo;
        int to = batchEnd(sel, from);
        fetchedUpTo = to;
        Selection s = sel;
        return CompletableFuture.supplyAsync(() -> fetch(s, from, to), executor);
    }

    @SuppressWarnings("unchecked")
    private Batch fetch(Selection sel, int from, int to) {
        List<AggrChunk>[] out = new List[to - from];
        if (skipChunks) {
            Arrays.fill(out, List.of());
            return new Batch(from, to, out);
        }
        int c0 = sel.chunkStart[from];
        int c1 = sel.chunkStart[to];
        AggrChunk[] chunks = new AggrChunk[c1 - c0];
        new ChunkFetcher(block, limits, aggregates).fetch(sel.refs, sel.mints, sel.maxts, c0, c1, chunks);
        for (int i = from; i < to; i++) {
            int a = sel.chunkStart[i] - c0;
            int b = sel.chunkStart[i + 1] - c0;
            out[i - from] = List.of(Arrays.copyOfRange(chunks, a, b));
        }
        return new Batch(from, to, out);
    }

    private <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof ThanosException te) {
                throw new ThanosException(te.code(), te.code() == ErrorCode.RESOURCE_EXHAUSTED ? te.getMessage()
                        : "fetch series for block " + block.id + ": " + te.getMessage(), te);
            }
            throw new ThanosException(ErrorCode.INTERNAL, "fetch series for block " + block.id + ": " + c, c);
        }
    }

    @Override
    public boolean next() {
        if (closed) {
            return false;
        }
        if (sel == null) {
            sel = join(selection);
            if (sel.first != null) {
                next = sel.first;
                fetchedUpTo = sel.firstTo;
            } else {
                next = fetchNext();
            }
        }
        if (batch != null && pos + 1 < batch.to) {
            pos++;
            return true;
        }
        if (next == null) {
            closed = true;
            return false;
        }
        batch = join(next);
        next = fetchNext();
        pos = batch.from;
        return batch.to > batch.from;
    }

    @Override
    public Labels labels() {
        return sel.labels[pos];
    }

    @Override
    public List<AggrChunk> chunks() {
        return batch.chunks[pos - batch.from];
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "block " + block.id;
    }
}
