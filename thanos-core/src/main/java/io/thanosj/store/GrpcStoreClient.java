package io.thanosj.store;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.thanosj.proto.infopb.InfoGrpc;
import io.thanosj.proto.infopb.InfoRequest;
import io.thanosj.proto.infopb.InfoResponse;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.StoreGrpc;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A remote StoreAPI (ours or Thanos's) as a {@link StoreServer}. {@code responseTimeout} bounds
 * each series frame and each label or info call (zero: no bound); failures become
 * {@link io.thanosj.model.ThanosException}s naming the endpoint. The channel is the caller's.
 */
public final class GrpcStoreClient implements StoreServer {
    /** Responses requested ahead per Series call. */
    static final int SERIES_BUFFER = 32;
    /**
     * Series per response asked of the store when the request leaves it open (Thanos's
     * DefaultResponseBatchSize): one response per series costs a flush each, and batching 64
     * streams about 2.7x more series per second on loopback (BenchmarkStoreMerge).
     */
    static final int DEFAULT_BATCH = 64;
    private static final Duration DEFAULT_INFO_TIMEOUT = Duration.ofSeconds(30);
    /**
     * As Thanos's querier, accept responses of any size: one series with a long history, or a
     * label-values answer over many series, easily passes gRPC's default 4 MiB.
     */
    private static final CallOptions OPTIONS = CallOptions.DEFAULT.withMaxInboundMessageSize(Integer.MAX_VALUE);
    /**
     * Series responses are parsed and queued on the transport thread: the listener only appends to
     * a queue, and skipping gRPC's callback executor saves one thread hand-off per response, which
     * on a busy machine costs milliseconds per query.
     */
    private static final CallOptions SERIES_OPTIONS = OPTIONS.withExecutor(Runnable::run);

    private final Channel channel;
    private final String name;
    private final Duration responseTimeout;

    public GrpcStoreClient(Channel channel, String name, Duration responseTimeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.name = Objects.requireNonNull(name, "name");
        this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
        if (responseTimeout.isNegative()) {
            throw new IllegalArgumentException("responseTimeout must not be negative: " + responseTimeout);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public SeriesSet series(SeriesRequest request) {
        if (request.getResponseBatchSize() == 0) {
            request = request.toBuilder().setResponseBatchSize(DEFAULT_BATCH).build();
        }
        try {
            return new GrpcSeriesSet(channel, SERIES_OPTIONS, request, name, responseTimeout, SERIES_BUFFER);
        } catch (RuntimeException e) {
            throw GrpcErrors.toException(e, "fetch series from " + name);
        }
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest request) {
        try {
            return withDeadline(StoreGrpc.newBlockingStub(channel), responseTimeout).labelNames(request);
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.toException(e.getStatus(), "fetch label names from " + name);
        }
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest request) {
        try {
            return withDeadline(StoreGrpc.newBlockingStub(channel), responseTimeout).labelValues(request);
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.toException(e.getStatus(), "fetch label values from " + name);
        }
    }

    @Override
    public StoreInfo info() {
        return InfoService.fromProto(rawInfo(responseTimeout.isZero() ? DEFAULT_INFO_TIMEOUT : responseTimeout));
    }

    /** The whole Info response (component type, all APIs). */
    public InfoResponse rawInfo(Duration timeout) {
        return rawInfo(timeout, false);
    }

    /**
     * The whole Info response; with {@code waitForReady} the call waits (up to the timeout) for a
     * connection instead of failing fast while the channel is between reconnect attempts.
     */
    public InfoResponse rawInfo(Duration timeout, boolean waitForReady) {
        try {
            InfoGrpc.InfoBlockingStub stub = withDeadline(InfoGrpc.newBlockingStub(channel), timeout);
            return (waitForReady ? stub.withWaitForReady() : stub).info(InfoRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.toException(e.getStatus(), "fetch info from " + name);
        }
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S withDeadline(S stub, Duration timeout) {
        stub = stub.withMaxInboundMessageSize(Integer.MAX_VALUE);
        return timeout.isZero() ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return name;
    }
}
