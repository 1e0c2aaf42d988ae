package io.thanosj.store;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.StoreGrpc;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Serves a {@link StoreServer} as the gRPC service {@code thanos.Store}. Requests are validated
 * here too, so every store answers bad input with {@code INVALID_ARGUMENT}; failures are mapped by
 * {@link GrpcErrors}. Series are pumped on {@code executor} (one task per call) and sent only when
 * the transport is ready, so a slow client slows its sources instead of filling the heap; stores
 * that never block ({@link StoreServer#nonBlocking()}) are pumped on gRPC's own callbacks instead.
 * Label calls of blocking stores run on {@code executor} too, so no handler ever blocks the thread
 * gRPC calls it on, and the service may be added to a server as
 * {@linkplain io.thanosj.server.GrpcServer#addInlineService inline}.
 */
public final class StoreService implements BindableService, StoreGrpc.AsyncService {
    private final StoreServer server;
    private final Executor executor;

    public StoreService(StoreServer server, Executor executor) {
        this.server = Objects.requireNonNull(server, "server");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * The generated service, with Series bound to {@link SeriesWire#SERVER_METHOD}: responses are
     * encoded by {@link SeriesFrameWriter} instead of being built as messages. The generated
     * {@code series} method is therefore never called.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = StoreGrpc.bindService(this);
        ServiceDescriptor gd = generated.getServiceDescriptor();
        String seriesName = SeriesWire.SERVER_METHOD.getFullMethodName();
        ServiceDescriptor.Builder sd = ServiceDescriptor.newBuilder(gd.getName()).setSchemaDescriptor(gd.getSchemaDescriptor());
        for (MethodDescriptor<?, ?> m : gd.getMethods()) {
            sd.addMethod(m.getFullMethodName().equals(seriesName) ? SeriesWire.SERVER_METHOD : m);
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(sd.build());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (!m.getMethodDescriptor().getFullMethodName().equals(seriesName)) {
                b.addMethod(m);
            }
        }
        b.addMethod(SeriesWire.SERVER_METHOD, ServerCalls.asyncServerStreamingCall(this::seriesFrames));
        return b.build();
    }

    private void seriesFrames(SeriesRequest request, StreamObserver<SeriesWire.Frame> observer) {
        ServerCallStreamObserver<SeriesWire.Frame> obs = (ServerCallStreamObserver<SeriesWire.Frame>) observer;
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
        offload(observer, () -> answerLabelNames(request, observer));
    }

    @Override
    public void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> observer) {
        offload(observer, () -> answerLabelValues(request, observer));
    }

    private void offload(StreamObserver<?> observer, Runnable call) {
        if (server.nonBlocking()) {
            call.run();
            return;
        }
        try {
            executor.execute(call);
        } catch (RuntimeException e) { // rejected: shutting down
            observer.onError(io.grpc.Status.UNAVAILABLE.withDescription("store is shutting down").asRuntimeException());
        }
    }

    private void answerLabelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> observer) {
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

    private void answerLabelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> observer) {
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
