package io.thanosj.store;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import io.grpc.Status;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Series;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.SeriesResponse;
import io.thanosj.proto.storepb.StoreGrpc;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of one Series call. The call starts at construction and asks for up to
 * {@code buffer} responses ahead, so many stores stream in parallel while the merge consumes them
 * one at a time; each consumed response asks for one more (gRPC flow control, bounded memory).
 * {@code frameTimeout} bounds the wait for any single response, as Thanos's
 * {@code --store.response-timeout}.
 */
final class GrpcSeriesSet implements SeriesSet {
    /**
     * The Series method with a response parser that reads each message into its own array and lets
     * chunk bytes alias it: protobuf's default copies every chunk out of a reused buffer, the
     * largest allocation on the querier's side. A chunk then keeps its response's array alive,
     * which is bounded by the frames in flight.
     */
    static final MethodDescriptor<SeriesRequest, SeriesResponse> SERIES_METHOD = StoreGrpc.getSeriesMethod()
            .toBuilder(StoreGrpc.getSeriesMethod().getRequestMarshaller(), new AliasingParser())
            .build();

    private static final class AliasingParser implements MethodDescriptor.Marshaller<SeriesResponse> {
        private final MethodDescriptor.Marshaller<SeriesResponse> proto = StoreGrpc.getSeriesMethod().getResponseMarshaller();

        @Override
        public InputStream stream(SeriesResponse value) {
            return proto.stream(value);
        }

        @Override
        public SeriesResponse parse(InputStream in) {
            try {
                byte[] b = in.readAllBytes();
                CodedInputStream cis = CodedInputStream.newInstance(b);
                cis.enableAliasing(true);
                cis.setRecursionLimit(Integer.MAX_VALUE);
                cis.setSizeLimit(Integer.MAX_VALUE);
                SeriesResponse r = SeriesResponse.parseFrom(cis);
                cis.checkLastTagWas(0);
                return r;
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("invalid series response: " + e.getMessage()).withCause(e)
                        .asRuntimeException();
            }
        }
    }
    private final String name;
    private final ClientCall<SeriesRequest, SeriesResponse> call;
    private final long frameTimeoutNanos;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private final List<String> warnings = new ArrayList<>();

    private final Object lock = new Object();
    private final ArrayDeque<SeriesResponse> queue = new ArrayDeque<>(); // guarded by lock
    private Status closeStatus;                                          // guarded by lock

    private List<Series> batch = List.of();
    private int batchIdx;
    private Labels labels;
    private List<AggrChunk> chunks;
    private boolean done;

    GrpcSeriesSet(Channel channel, CallOptions options, SeriesRequest request, String name,
            Duration frameTimeout, int buffer) {
        this.name = name;
        this.frameTimeoutNanos = frameTimeout.toNanos();
        this.call = channel.newCall(SERIES_METHOD, options);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(SeriesResponse message) {
                synchronized (lock) {
                    queue.addLast(message);
                    lock.notifyAll();
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                synchronized (lock) {
                    closeStatus = status;
                    lock.notifyAll();
                }
            }
        }, new Metadata());
        call.sendMessage(request);
        call.halfClose();
        call.request(Math.max(1, buffer));
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        while (true) {
            if (batchIdx < batch.size()) {
                set(batch.get(batchIdx++));
                return true;
            }
            SeriesResponse r = take();
            if (r == null) {
                done = true;
                return false;
            }
            call.request(1);
            switch (r.getResultCase()) {
                case SERIES -> {
                    set(r.getSeries());
                    return true;
                }
                case BATCH -> {
                    batch = r.getBatch().getSeriesList();
                    batchIdx = 0;
                }
                case WARNING -> warnings.add(r.getWarning());
                default -> { } // hints and unknown frames carry nothing we merge
            }
        }
    }

    private void set(Series s) {
        labels = ProtoLabels.fromProto(s.getLabelsList(), scratch);
        chunks = s.getChunksList();
    }

    /** Next response, null at a clean end; throws on failure or frame timeout. */
    private SeriesResponse take() {
        Status st;
        synchronized (lock) {
            long deadline = frameTimeoutNanos > 0 ? System.nanoTime() + frameTimeoutNanos : 0;
            while (queue.isEmpty() && closeStatus == null) {
                try {
                    if (deadline == 0) {
                        lock.wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        lock.wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    call.cancel("interrupted", null);
                    throw new ThanosException(ErrorCode.CANCELED, "receive series from " + name + ": interrupted", e);
                }
            }
            if (!queue.isEmpty()) {
                return queue.pollFirst();
            }
            st = closeStatus;
        }
        if (st == null) {
            done = true;
            call.cancel("frame timeout", null);
            throw new ThanosException(ErrorCode.TIMEOUT, "receive series from " + name + ": no data received within "
                    + Duration.ofNanos(frameTimeoutNanos).toMillis() + "ms");
        }
        if (!st.isOk()) {
            done = true;
            throw GrpcErrors.toException(st, "receive series from " + name);
        }
        return null;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public List<AggrChunk> chunks() {
        return chunks;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() {
        boolean open;
        synchronized (lock) {
            open = closeStatus == null;
        }
        if (open) {
            call.cancel("series set closed by client", null);
        }
        done = true;
    }
}
