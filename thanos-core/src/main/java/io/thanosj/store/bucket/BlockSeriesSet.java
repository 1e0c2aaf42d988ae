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
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.CompletableFuture;
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
 *       caller consumes the current one. Chunks are decoded as their bytes arrive, and a series
 *       is handed out as soon as its own chunks are in, so the caller works while a large read
 *       is still streaming.</li>
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
        Batch first;

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

    /**
     * One batch being fetched: series {@code [from, to)} of the selection, whose chunks
     * {@code [c0, ...)} fill {@code fetch.out} as they arrive; null fetch when chunks are skipped.
     */
    private record Batch(int from, int to, int c0, ChunkFetch fetch) {}

    /** A series' chunks: a read-only view of a batch's array. */
    private static final class ChunkList extends AbstractList<AggrChunk> implements RandomAccess {
        private final AggrChunk[] a;
        private final int from;
        private final int size;

        ChunkList(AggrChunk[] a, int from, int to) {
            this.a = a;
            this.from = from;
            this.size = to - from;
        }

        @Override
        public AggrChunk get(int i) {
            Objects.checkIndex(i, size);
            return a[from + i];
        }

        @Override
        public int size() {
            return size;
        }
    }

    private final BucketBlock block;
    private final List<Matcher> matchers;
    private final long mint;
    private final long maxt;
    private final boolean skipChunks;
    private final List<String> withoutLabels;
    private final QueryLimits limits;
    private final List<Aggr> aggregates;
    private final Executor executor;
    private final OnceTask<Selection> selection;
    private volatile boolean closed;
    private Selection sel;
    private Batch next;
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
        this.selection = OnceTask.submit(this::select, executor, this::fetchFirst);
    }

    /**
     * Runs the selection on the calling thread (the consumer's) unless a pool thread has taken it:
     * on a busy machine a pool thread can take milliseconds to be scheduled, while the consumer
     * would only wait for it.
     */
    void help() {
        selection.tryRun();
    }

    /**
     * On the pool thread that made the selection: reads of the first batch that no other pool
     * thread has taken yet, rather than going idle while others are woken for them.
     */
    private void fetchFirst() {
        Selection s;
        try {
            s = selection.future().getNow(null);
        } catch (RuntimeException e) {
            return; // the consumer gets the failure from join()
        }
        if (s != null && s.first != null && s.first.fetch != null && !closed) {
            s.first.fetch.help();
        }
    }

    /** Completes when the selection phase is done (successfully or not); for the get-all timing. */
    CompletableFuture<?> selected() {
        return selection.future();
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
                s.first = fetch(s, 0, batchEnd(s, 0));
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

    private Batch fetchNext() {
        if (fetchedUpTo >= sel.n || closed) {
            return null;
        }
        int from = fetchedUpTo;
        int to = batchEnd(sel, from);
        fetchedUpTo = to;
        return fetch(sel, from, to);
    }

    /** Starts reading the chunks of series {@code [from, to)}; returns at once. */
    private Batch fetch(Selection sel, int from, int to) {
        if (skipChunks) {
            return new Batch(from, to, 0, null);
        }
        int c0 = sel.chunkStart[from];
        int c1 = sel.chunkStart[to];
        ChunkFetch f = new ChunkFetcher(block, limits, aggregates).start(sel.refs, sel.mints, sel.maxts, c0, c1, executor);
        return new Batch(from, to, c0, f);
    }

    /** Waits for the chunks of series {@code pos} of the current batch. */
    private void awaitChunks() {
        if (batch.fetch == null) {
            return;
        }
        try {
            batch.fetch.await(sel.chunkStart[pos] - batch.c0, sel.chunkStart[pos + 1] - batch.c0);
        } catch (ThanosException te) {
            throw wrap(te);
        } catch (RuntimeException e) {
            throw new ThanosException(ErrorCode.INTERNAL, "fetch series for block " + block.id + ": " + e, e);
        }
    }

    private ThanosException wrap(ThanosException te) {
        return new ThanosException(te.code(), te.code() == ErrorCode.RESOURCE_EXHAUSTED ? te.getMessage()
                : "fetch series for block " + block.id + ": " + te.getMessage(), te);
    }

    /** The selection, made here if no pool thread has started it. */
    private Selection joinSelection() {
        try {
            return selection.join();
        } catch (ThanosException te) {
            throw wrap(te);
        } catch (RuntimeException e) {
            throw new ThanosException(ErrorCode.INTERNAL, "fetch series for block " + block.id + ": " + e, e);
        }
    }

    @Override
    public boolean next() {
        if (closed) {
            return false;
        }
        if (sel == null) {
            sel = joinSelection();
            if (sel.first != null) {
                next = sel.first;
                fetchedUpTo = sel.first.to;
            } else {
                next = fetchNext();
            }
        }
        if (batch != null && pos + 1 < batch.to) {
            pos++;
            awaitChunks();
            return true;
        }
        if (next == null) {
            closed = true;
            return false;
        }
        batch = next;
        next = fetchNext();
        pos = batch.from;
        if (batch.to <= batch.from) {
            return false;
        }
        awaitChunks();
        return true;
    }

    @Override
    public Labels labels() {
        return sel.labels[pos];
    }

    @Override
    public List<AggrChunk> chunks() {
        if (batch.fetch == null) {
            return List.of();
        }
        return new ChunkList(batch.fetch.out, sel.chunkStart[pos] - batch.c0, sel.chunkStart[pos + 1] - batch.c0);
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public void close() {
        closed = true;
        // Stop reads still streaming; a selection still running stops at its next batch.
        for (Batch b : new Batch[] {batch, next}) {
            if (b != null && b.fetch != null) {
                b.fetch.cancel();
            }
        }
    }

    @Override
    public String toString() {
        return "block " + block.id;
    }
}
