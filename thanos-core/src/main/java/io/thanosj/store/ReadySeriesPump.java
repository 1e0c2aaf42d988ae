package io.thanosj.store;

import io.grpc.stub.ServerCallStreamObserver;
import io.thanosj.proto.storepb.Series;
import io.thanosj.proto.storepb.SeriesBatch;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.SeriesResponse;

/**
 * Streams one Series call from a {@link StoreServer#nonBlocking() non-blocking} store without a
 * thread of its own: it pulls series on gRPC's callback thread while the call is ready, stops when
 * the transport pushes back, and resumes from the on-ready callback. gRPC runs one call's callbacks
 * one at a time, so the state here needs no locks. Responses are the same as {@link SeriesPump}'s.
 */
final class ReadySeriesPump {
    private final StoreServer server;
    private final SeriesRequest request;
    private final ServerCallStreamObserver<SeriesResponse> obs;
    private final ProtoLabels.Cache labelProtos = new ProtoLabels.Cache();
    private final int batchSize;
    private SeriesBatch.Builder batch;
    private SeriesSet set;
    private boolean done;

    ReadySeriesPump(StoreServer server, SeriesRequest request, ServerCallStreamObserver<SeriesResponse> obs) {
        this.server = server;
        this.request = request;
        this.obs = obs;
        this.batchSize = (int) Math.min(Math.max(request.getResponseBatchSize(), 1), 10_000);
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
                batch = batchSize > 1 ? SeriesBatch.newBuilder() : null;
            }
            while (obs.isReady()) {
                if (!set.next()) {
                    if (batch != null && batch.getSeriesCount() > 0) {
                        obs.onNext(SeriesResponse.newBuilder().setBatch(batch).build());
                    }
                    for (String w : set.warnings()) {
                        obs.onNext(SeriesResponse.newBuilder().setWarning(w).build());
                    }
                    finish();
                    obs.onCompleted();
                    return;
                }
                Series s = Series.newBuilder()
                        .addAllLabels(labelProtos.toProto(set.labels()))
                        .addAllChunks(set.chunks())
                        .build();
                if (batch == null) {
                    obs.onNext(SeriesResponse.newBuilder().setSeries(s).build());
                } else {
                    batch.addSeries(s);
                    if (batch.getSeriesCount() >= batchSize) {
                        obs.onNext(SeriesResponse.newBuilder().setBatch(batch).build());
                        batch.clear();
                    }
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
