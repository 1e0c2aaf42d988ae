package io.thanosj.store;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.SeriesResponse;
import io.thanosj.proto.storepb.StoreGrpc;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Serves a {@link StoreServer} as the gRPC service {@code thanos.Store}. Requests are validated
 * here too, so every store answers bad input with {@code INVALID_ARGUMENT}; failures are mapped by
 * {@link GrpcErrors}. Series are pumped on {@code executor} (one task per call) and sent only when
 * the transport is ready, so a slow client slows its sources instead of filling the heap; stores
 * that never block ({@link StoreServer#nonBlocking()}) are pumped on gRPC's own callbacks instead.
 */
public final class StoreService extends StoreGrpc.StoreImplBase {
    private final StoreServer server;
    private final Executor executor;

    public StoreService(StoreServer server, Executor executor) {
        this.server = Objects.requireNonNull(server, "server");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void series(SeriesRequest request, StreamObserver<SeriesResponse> observer) {
        ServerCallStreamObserver<SeriesResponse> obs = (ServerCallStreamObserver<SeriesResponse>) observer;
        try {
            Requests.checkSeries(request);
        } catch (RuntimeException e) {
            obs.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        if (server.nonBlocking()) {
            new ReadySeriesPump(server, request, obs).pump();
            return;
        }
        SeriesPump pump = new SeriesPump(server, request, obs);
        try {
            executor.execute(pump);
        } catch (RuntimeException e) { // rejected: shutting down
            obs.onError(io.grpc.Status.UNAVAILABLE.withDescription("store is shutting down").asRuntimeException());
        }
    }

    @Override
    public void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> observer) {
        LabelNamesResponse resp;
        try {
            Requests.checkLabelNames(request);
            resp = server.labelNames(request);
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        observer.onNext(resp);
        observer.onCompleted();
    }

    @Override
    public void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> observer) {
        LabelValuesResponse resp;
        try {
            Requests.checkLabelValues(request);
            resp = server.labelValues(request);
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        observer.onNext(resp);
        observer.onCompleted();
    }
}
