package io.thanosj.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.SeriesRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of one Series call. The call starts at construction and asks for up to
 * {@code buffer} responses ahead, so many stores stream in parallel while the merge consumes them
 * one at a time; consumed responses are asked for again in groups of a quarter of the buffer (gRPC
 * flow control, bounded memory).
 * {@code frameTimeout} bounds the wait for any single response, as Thanos's
 * {@code --store.response-timeout}.
 *
 * <p>Responses are decoded on the transport thread as they arrive ({@link SeriesFrameReader}: label
 * sets, and chunk columns that alias the response bytes), so decoding overlaps the consumer's work.
 */
final class GrpcSeriesSet implements SeriesSet {
    private static final SeriesFrameReader.Decoded END = SeriesFrameReader.Decoded.NOTHING;

    private final String name;
    private final ClientCall<SeriesRequest, byte[]> call;
    private final long frameTimeoutNanos;
    private final List<String> warnings = new ArrayList<>();

    private final Object lock = new Object();
    private final ArrayDeque<SeriesFrameReader.Decoded> queue = new ArrayDeque<>(); // guarded by lock
    private Status closeStatus;                                                    // guarded by lock

    private final int refill;
    private int consumed; // responses taken since the last request for more
    private SeriesFrameReader.Decoded frame = END;
    private int frameIdx;
    private Labels labels;
    private List<AggrChunk> chunks;
    private boolean done;

    GrpcSeriesSet(Channel channel, CallOptions options, SeriesRequest request, String name,
            Duration frameTimeout, int buffer) {
        this.name = name;
        this.frameTimeoutNanos = frameTimeout.toNanos();
        this.refill = Math.max(1, buffer / 4);
        this.call = channel.newCall(SeriesWire.CLIENT_METHOD, options);
        SeriesFrameReader reader = new SeriesFrameReader();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                synchronized (lock) {
                    if (closeStatus != null) {
                        return; // after a bad response: nothing more is delivered
                    }
                }
                SeriesFrameReader.Decoded d;
                try {
                    d = reader.read(message);
                } catch (InvalidProtocolBufferException | RuntimeException e) {
                    Status st = Status.INTERNAL.withDescription("invalid series response: " + e.getMessage()).withCause(e);
                    synchronized (lock) {
                        if (closeStatus == null) {
                            closeStatus = st;
                        }
                        lock.notifyAll();
                    }
                    call.cancel("invalid series response", e);
                    return;
                }
                synchronized (lock) {
                    queue.addLast(d);
                    lock.notifyAll();
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                synchronized (lock) {
                    if (closeStatus == null) {
                        closeStatus = status;
                    }
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
            if (frameIdx < frame.count) {
                labels = frame.labels[frameIdx];
                chunks = frame.chunks.get(frameIdx);
                frameIdx++;
                return true;
            }
            SeriesFrameReader.Decoded d = take();
            if (d == null) {
                done = true;
                frame = END;
                return false;
            }
            // Ask for more in groups: each request is a task for the transport thread.
            if (++consumed >= refill) {
                call.request(consumed);
                consumed = 0;
            }
            if (d.warning != null) {
                warnings.add(d.warning);
            }
            // Hints and unknown responses carry nothing we merge.
            frame = d;
            frameIdx = 0;
        }
    }

    /** Next response, null at a clean end; throws on failure or frame timeout. */
    private SeriesFrameReader.Decoded take() {
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
