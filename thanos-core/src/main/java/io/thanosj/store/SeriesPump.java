package io.thanosj.store;

import io.grpc.stub.ServerCallStreamObserver;
import io.thanosj.proto.storepb.Series;
import io.thanosj.proto.storepb.SeriesBatch;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.SeriesResponse;
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
    private final ServerCallStreamObserver<SeriesResponse> obs;
    private final Object readyLock = new Object();
    private volatile boolean cancelled;
    private final ProtoLabels.Cache labelProtos = new ProtoLabels.Cache();

    SeriesPump(StoreServer server, SeriesRequest request, ServerCallStreamObserver<SeriesResponse> obs) {
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

    @Override
    public void run() {
        int batchSize = (int) Math.min(Math.max(request.getResponseBatchSize(), 1), 10_000);
        try (SeriesSet set = server.series(request)) {
            SeriesBatch.Builder batch = batchSize > 1 ? SeriesBatch.newBuilder() : null;
            while (!cancelled && set.next()) {
                Series s = Series.newBuilder()
                        .addAllLabels(labelProtos.toProto(set.labels()))
                        .addAllChunks(set.chunks())
                        .build();
                if (batch == null) {
                    send(SeriesResponse.newBuilder().setSeries(s).build());
                } else {
                    batch.addSeries(s);
                    if (batch.getSeriesCount() >= batchSize) {
                        send(SeriesResponse.newBuilder().setBatch(batch).build());
                        batch.clear();
                    }
                }
            }
            if (cancelled) {
                return;
            }
            if (batch != null && batch.getSeriesCount() > 0) {
                send(SeriesResponse.newBuilder().setBatch(batch).build());
            }
            List<String> warnings = set.warnings();
            for (String w : warnings) {
                send(SeriesResponse.newBuilder().setWarning(w).build());
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

    private void send(SeriesResponse r) throws InterruptedException {
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
