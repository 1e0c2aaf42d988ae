package io.thanosj.store;

import io.grpc.stub.ServerCallStreamObserver;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.List;

/**
 * Streams one Series call: pulls series from the store and sends each once the call is ready.
 * Runs on its own thread because pulling may block on remote sources, and blocking inside a gRPC
 * callback would also block the onReady callback it waits for.
 */
final class SeriesPump implements Runnable {
    /**
     * Bytes a call may buffer before it stops being ready. gRPC's default, 32 KiB, is a couple of
     * batches: a 2 MB answer then waits for the transport's on-ready callback some 60 times, each a
     * thread hand-off (60 ms per query on a loaded machine); 1 MiB per call keeps memory bounded.
     */
    static final int READY_THRESHOLD = 1 << 20;
    private final StoreServer server;
    private final SeriesRequest request;
    private final ServerCallStreamObserver<SeriesWire.Frame> obs;
    private final Object readyLock = new Object();
    private volatile boolean cancelled;

    SeriesPump(StoreServer server, SeriesRequest request, ServerCallStreamObserver<SeriesWire.Frame> obs) {
        this.server = server;
        this.request = request;
        this.obs = obs;
        obs.setOnReadyThreshold(SeriesPump.READY_THRESHOLD);
        // Must be set before the handler returns.
        obs.setOnReadyHandler(this::signal);
        obs.setOnCancelHandler(() -> {
            cancelled = true;
            signal();
        });
    }

    private void signal() {
        synchronized (readyLock) {
            readyLock.notifyAll();
        }
    }

    /** Series per response: the request's {@code response_batch_size}, 1 (no batches) when unset. */
    static int batchSize(SeriesRequest request) {
        return (int) Math.min(Math.max(request.getResponseBatchSize(), 1), 10_000);
    }

    @Override
    public void run() {
        SeriesFrameWriter writer = new SeriesFrameWriter(batchSize(request));
        try (SeriesSet set = server.series(request)) {
            while (!cancelled && set.next()) {
                writer.add(set.labels(), set.chunks());
                if (writer.full()) {
                    send(writer.frame());
                    writer.trim();
                }
            }
            if (cancelled) {
                return;
            }
            SeriesWire.Frame last = writer.frame();
            if (last != null) {
                send(last);
            }
            List<String> warnings = set.warnings();
            for (String w : warnings) {
                send(SeriesFrameWriter.warning(w));
            }
            if (!cancelled) {
                obs.onCompleted();
            }
        } catch (Throwable t) {
            if (!cancelled) {
                obs.onError(GrpcErrors.toStatus(t).asRuntimeException());
            }
            if (t instanceof Error e && !(t instanceof OutOfMemoryError)) {
                throw e;
            }
        }
    }

    private void send(SeriesWire.Frame r) throws InterruptedException {
        synchronized (readyLock) {
            while (!obs.isReady() && !cancelled) {
                // Timed: a lost wake-up then costs a few milliseconds, never a stuck call.
                readyLock.wait(50);
            }
        }
        if (!cancelled) {
            obs.onNext(r);
        }
    }
}
