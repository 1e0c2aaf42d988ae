package io.thanosj.store;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.StoreGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Series method with a hand-written response codec. Requests use protobuf's generated
 * marshaller; responses travel as bytes: the server writes {@code SeriesResponse} messages with
 * {@link SeriesFrameWriter} straight from labels and chunk bytes, and the client decodes them with
 * {@link SeriesFrameReader} into label sets and chunk columns that alias the received bytes. No
 * protobuf object is built per series, label or chunk on either side.
 *
 * <p>The bytes are exactly those protobuf would write for the same {@code SeriesResponse} (field
 * order, omitted defaults, minimal varints), and the reader accepts everything protobuf's parser
 * accepts with the same result, unknown fields included (TestSeriesWire proves both against the
 * generated classes), so peers using Thanos's storepb see no difference.
 */
final class SeriesWire {
    private SeriesWire() {}

    // Tags: field number << 3 | wire type (0 varint, 2 length-delimited).
    static final int RESPONSE_SERIES = 1 << 3 | 2;
    static final int RESPONSE_WARNING = 2 << 3 | 2;
    static final int RESPONSE_HINTS = 3 << 3 | 2;
    static final int RESPONSE_BATCH = 4 << 3 | 2;
    static final int BATCH_SERIES = 1 << 3 | 2;
    static final int SERIES_LABEL = 1 << 3 | 2;
    static final int SERIES_CHUNK = 2 << 3 | 2;
    static final int LABEL_NAME = 1 << 3 | 2;
    static final int LABEL_VALUE = 2 << 3 | 2;
    static final int AGGR_MIN_TIME = 1 << 3;
    static final int AGGR_MAX_TIME = 2 << 3;
    static final int AGGR_RAW = 3 << 3 | 2;
    static final int CHUNK_TYPE = 1 << 3;
    static final int CHUNK_DATA = 2 << 3 | 2;
    static final int CHUNK_HASH = 3 << 3;

    /** One encoded {@code SeriesResponse}: {@code len} bytes of {@code buf} from {@code off}. */
    static final class Frame {
        final byte[] buf;
        final int off;
        final int len;

        Frame(byte[] buf, int off, int len) {
            this.buf = buf;
            this.off = off;
            this.len = len;
        }
    }

    /** The server's side: responses are already bytes. */
    static final MethodDescriptor<SeriesRequest, Frame> SERVER_METHOD = StoreGrpc.getSeriesMethod()
            .toBuilder(StoreGrpc.getSeriesMethod().getRequestMarshaller(), new FrameMarshaller())
            .build();

    /** The client's side: each response arrives as its own array, decoded by {@link SeriesFrameReader}. */
    static final MethodDescriptor<SeriesRequest, byte[]> CLIENT_METHOD = StoreGrpc.getSeriesMethod()
            .toBuilder(StoreGrpc.getSeriesMethod().getRequestMarshaller(), new BytesMarshaller())
            .build();

    /**
     * gRPC drains the stream while {@code onNext} runs (into its own transport buffers), so a
     * frame's array may be reused as soon as {@code onNext} returns.
     */
    private static final class FrameMarshaller implements MethodDescriptor.Marshaller<Frame> {
        @Override
        public InputStream stream(Frame f) {
            return new FrameStream(f.buf, f.off, f.len);
        }

        @Override
        public Frame parse(InputStream in) {
            byte[] b = BytesMarshaller.read(in);
            return new Frame(b, 0, b.length);
        }
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new FrameStream(value, 0, value.length);
        }

        @Override
        public byte[] parse(InputStream in) {
            return read(in);
        }

        /** One copy: gRPC's message streams know their length (readAllBytes would copy twice). */
        static byte[] read(InputStream in) {
            try {
                if (in instanceof KnownLength) {
                    int n = in.available();
                    byte[] b = new byte[n];
                    int got = in.readNBytes(b, 0, n);
                    if (got == n && in.read() < 0) {
                        return b;
                    }
                    byte[] rest = in.readAllBytes();
                    byte[] all = new byte[got + rest.length];
                    System.arraycopy(b, 0, all, 0, got);
                    System.arraycopy(rest, 0, all, got, rest.length);
                    return all;
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("read series response: " + e.getMessage()).withCause(e)
                        .asRuntimeException();
            }
        }
    }

    /** A byte range that gRPC can drain in one write. */
    private static final class FrameStream extends InputStream implements KnownLength, Drainable {
        private final byte[] buf;
        private int pos;
        private final int end;

        FrameStream(byte[] buf, int off, int len) {
            this.buf = buf;
            this.pos = off;
            this.end = off + len;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = end - pos;
            target.write(buf, pos, n);
            pos = end;
            return n;
        }

        @Override
        public int available() {
            return end - pos;
        }

        @Override
        public int read() {
            return pos < end ? buf[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    // ---- varints ----

    static int varintSize(long v) {
        if ((v & (~0L << 7)) == 0) {
            return 1;
        }
        if (v < 0) {
            return 10;
        }
        // 64 - leading zeros bits, 7 bits per byte.
        return (70 - Long.numberOfLeadingZeros(v)) / 7;
    }

    /** Writes {@code v} as a varint at {@code pos}; returns the position after it. */
    static int writeVarint(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    /** Protobuf writes an int32 (an enum value) as the varint of its sign-extended 64 bits. */
    static int int32Size(int v) {
        return varintSize(v);
    }
}
