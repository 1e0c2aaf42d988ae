package io.thanosj.promql.engine;

import io.thanosj.concurrent.Pools;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.storage.SeriesSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The rest of a select's series, read and decoded on a helper thread a few batches ahead of the
 * query thread. In a large {@code rate()} over remote blocks, pulling series off the stream and
 * decoding their chunks is about half of the query thread's work and the functions over the samples
 * the other half; this runs them at once. Series reach the query thread in the set's order, so
 * results, including the rounding of aggregations, do not change.
 *
 * <p>The helper owns the set from the start until {@link #close()} returns; the caller closes the
 * set after that. Batches are recycled, so memory stays at a few batches whatever the select's size.
 */
final class DecodeAhead implements AutoCloseable {
    /** Series the query thread decodes itself before it hands a select to a helper: small selects never wait for one. */
    static final int INLINE_SERIES = 16;
    private static final int BATCH_SERIES = 64;
    private static final int BATCH_SAMPLES = 1 << 15;
    private static final int BATCHES = 3;
    // Slots grow to the series they hold; starting small keeps a select of a few dozen series cheap.
    private static final int SLOT_CAPACITY = 32;
    private static final long POLL_MS = 50;

    // Each query has at most one helper at a time, so the pool is as large as the queries running.
    private static final ExecutorService POOL = Pools.cached("promql-decode", 1);

    private static final class Batch {
        final Labels[] labels = new Labels[BATCH_SERIES];
        final SampleBuffer[] samples = new SampleBuffer[BATCH_SERIES];
        int count;
        boolean last;

        Batch() {
            for (int i = 0; i < BATCH_SERIES; i++) {
                samples[i] = new SampleBuffer(SLOT_CAPACITY);
            }
        }
    }

    private final SeriesSet set;
    private final long mint;
    private final long maxt;
    private final boolean dropStale;
    private final QueryGuard guard;
    private final long room;
    private final ArrayBlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final ArrayBlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;
    // Set before `done` counts down, so a failure reaches the query thread even with every batch taken.
    private volatile Throwable failure;
    private Batch cur;
    private int idx;
    private boolean ended;

    /**
     * Starts a helper on the rest of {@code set}: samples in {@code [mint, maxt]}, at most
     * {@code room} per series (the samples the query may still hold).
     */
    DecodeAhead(SeriesSet set, long mint, long maxt, boolean dropStale, QueryGuard guard, long room) {
        this.set = set;
        this.mint = mint;
        this.maxt = maxt;
        this.dropStale = dropStale;
        this.guard = guard;
        this.room = room;
        for (int i = 0; i < BATCHES; i++) {
            free.add(new Batch());
        }
        POOL.execute(this::produce);
    }

    /** Advances to the next series; false at the end of the set. Throws the helper's failure. */
    boolean next() {
        while (!ended) {
            if (cur != null) {
                if (++idx < cur.count) {
                    return true;
                }
                Batch b = cur;
                cur = null;
                if (b.last) {
                    ended = true;
                    return false;
                }
                free.add(b);
            }
            cur = take();
            idx = -1;
        }
        return false;
    }

    Labels labels() {
        return cur.labels[idx];
    }

    /** The current series' samples; valid until the next call to {@link #next()}. */
    SampleBuffer samples() {
        return cur.samples[idx];
    }

    /**
     * Stops the helper and waits until it has let go of the set, even when interrupted: the caller
     * closes the set next, which must not race with the helper's last {@code next}.
     */
    @Override
    public void close() {
        stopped = true;
        boolean interrupted = false;
        while (done.getCount() > 0) {
            // A helper blocked on a full queue waits for a free batch.
            Batch b = full.poll();
            if (b != null) {
                free.offer(b);
            }
            try {
                done.await(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Batch take() {
        try {
            while (true) {
                Batch b = full.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
                if (done.getCount() == 0 && full.isEmpty()) {
                    // The helper ended without a last batch: it failed after the batches it delivered.
                    ended = true;
                    Throwable t = failure;
                    throw rethrow(t != null ? t : new IllegalStateException("decode helper ended early"));
                }
                guard.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThanosException(ErrorCode.CANCELED, "query was canceled in expression evaluation");
        }
    }

    private void produce() {
        try {
            while (!stopped) {
                Batch b = free.take();
                b.count = 0;
                long samples = 0;
                boolean more = true;
                guard.check();
                while (b.count < BATCH_SERIES && samples < BATCH_SAMPLES && !stopped && (more = set.next())) {
                    SampleBuffer s = b.samples[b.count];
                    s.load(set.iterator(), mint, maxt, dropStale, room);
                    if (s.n > 0) {
                        b.labels[b.count++] = set.labels();
                        samples += s.n;
                    }
                }
                b.last = !more;
                full.put(b);
                if (b.last) {
                    return;
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            done.countDown();
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new ThanosException(ErrorCode.INTERNAL, "decoding series: " + t, t);
    }
}
