package io.thanosj.store.bucket;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of one {@link ChunkFetcher} fetch, filled in by its partition reads as they are
 * decoded. Readers call {@link #await} for the slots they need; a failed read fails every later
 * await. Slots are written before {@link #published()} or {@link #finished}, and read after an
 * await, so the monitor orders them.
 */
final class ChunkFetch {
    /**
     * A read at most this long is run by a reader waiting for it if no pool thread has started
     * it; a longer one is left to the pool so that its chunks stream to the reader as they come.
     */
    static final long STEAL_MAX_BYTES = 1 << 20;

    final AggrChunk[] out;
    /** The partition read that fills each slot of {@code out}. */
    final int[] readOf;
    final List<OnceTask<Void>> reads = new ArrayList<>();
    final List<Long> readSizes = new ArrayList<>();
    private int pending;
    private RuntimeException failure;
    volatile boolean cancelled;

    ChunkFetch(int n) {
        this.out = new AggrChunk[n];
        this.readOf = new int[n];
    }

    /**
     * Waits until {@code out[from..to)} are all decoded; throws the fetch's failure. When the
     * read holding the first missing chunk is small and no pool thread has taken it yet, it
     * runs here rather than wait for one to be scheduled.
     */
    void await(int from, int to) {
        while (true) {
            int missing;
            synchronized (this) {
                missing = firstMissing(from, to);
                if (missing < 0) {
                    return;
                }
            }
            OnceTask<Void> r = reads.get(readOf[missing]);
            if (!r.claimed() && readSizes.get(readOf[missing]) <= STEAL_MAX_BYTES && r.tryRun()) {
                continue;
            }
            synchronized (this) {
                if (firstMissing(from, to) < 0) {
                    return;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ThanosException(ErrorCode.CANCELED, "fetch chunks: interrupted");
                }
            }
        }
    }

    /**
     * The first slot of {@code [from, to)} not yet decoded, -1 when all are; throws the failure if
     * one is missing. Chunks that arrived before a read failed are still handed out.
     */
    private int firstMissing(int from, int to) {
        int i = from;
        while (i < to && out[i] != null) {
            i++;
        }
        if (i == to) {
            return -1;
        }
        if (failure != null) {
            throw failure;
        }
        if (pending == 0) {
            throw new ThanosException(ErrorCode.INTERNAL, "fetch chunks: chunk " + i
                    + " of the batch was not read by any partition");
        }
        return i;
    }

    /**
     * Runs the reads no pool thread has taken yet on the calling thread, which must not be the
     * one consuming the chunks (a large read then streams to it from here).
     */
    void help() {
        for (int i = 0; i < reads.size() && !cancelled; i++) {
            reads.get(i).tryRun();
        }
    }

    /** Stops the partition reads at their next step; waiting readers are not woken. */
    void cancel() {
        cancelled = true;
    }

    synchronized void started(int n) {
        pending += n;
    }

    synchronized void published() {
        notifyAll();
    }

    synchronized void finished(RuntimeException e) {
        pending--;
        if (e != null && failure == null) {
            failure = e;
        }
        notifyAll();
    }
}
