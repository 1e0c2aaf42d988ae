package io.thanosj.store;

import io.grpc.stub.ServerCallStreamObserver;
import io.thanosj.proto.storepb.SeriesRequest;

/**
 * Streams one Series call from a {@link StoreServer#nonBlocking() non-blocking} store without a
 * thread of its own: it pulls series on gRPC's callback thread while the call is ready, stops when
 * the transport pushes back, and resumes from the on-ready callback. gRPC runs one call's callbacks
 * one at a time, so the state here needs no locks. Responses are the same as {@link SeriesPump}'s.
 */
final class ReadySeriesPump {
    private final StoreServer server;
    private final SeriesRequest request;
    private final ServerCallStreamObserver<SeriesWire.Frame> obs;
    private final SeriesFrameWriter writer;
    private SeriesSet set;
    private boolean done;

    ReadySeriesPump(StoreServer server, SeriesRequest request, ServerCallStreamObserver<SeriesWire.Frame> obs) {
        this.server = server;
        this.request = request;
        this.obs = obs;
        this.writer = new SeriesFrameWriter(SeriesPump.batchSize(request));
        obs.setOnReadyThreshold(SeriesPump.READY_THRESHOLD);
        // Must be set before the handler returns.
        obs.setOnReadyHandler(this::pump);
        obs.setOnCancelHandler(this::finish);
    }

    /** Sends while the call is ready; called from the handler, then on every on-ready callback. */
    void pump() {
        if (done) {
            return;
        }
        try {
            if (set == null) {
                set = server.series(request);
            }
            while (obs.isReady()) {
                if (!set.next()) {
                    SeriesWire.Frame last = writer.frame();
                    if (last != null) {
                        obs.onNext(last);
                    }
                    for (String w : set.warnings()) {
                        obs.onNext(SeriesFrameWriter.warning(w));
                    }
                    finish();
                    obs.onCompleted();
                    return;
                }
                writer.add(set.labels(), set.chunks());
                if (writer.full()) {
                    obs.onNext(writer.frame());
                    writer.trim();
                }
            }
        } catch (RuntimeException e) {
            if (!done) {
                finish();
                obs.onError(GrpcErrors.toStatus(e).asRuntimeException());
            }
        }
    }

    private void finish() {
        done = true;
        if (set != null) {
            SeriesSet s = set;
            set = null;
            s.close();
        }
    }
}
