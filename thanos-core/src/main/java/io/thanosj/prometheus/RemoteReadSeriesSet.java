package io.thanosj.prometheus;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.model.XxHash64;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.store.SeriesSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The series of a {@code STREAMED_XOR_CHUNKS} remote read response, in the order Prometheus sends
 * them, with its labels as sent. Frames are decoded by hand from the protobuf wire format so that
 * labels go straight into a builder and chunk bytes are wrapped, not copied: the chunks handed on
 * are Prometheus's own XOR chunks. Consecutive frames of one series (Prometheus splits long series)
 * are joined into one series.
 */
final class RemoteReadSeriesSet implements SeriesSet {
    /** Field 1, length-delimited. */
    private static final int SERIES_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final InputStream body;
    private final ChunkedFrames frames;
    private final String source;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private final ArrayDeque<Decoded> queue = new ArrayDeque<>();
    private boolean eof;
    private boolean closed;
    private Labels labels;
    private List<AggrChunk> chunks;

    private record Decoded(Labels labels, List<AggrChunk> chunks) {}

    RemoteReadSeriesSet(InputStream body, int maxFrame, String source) {
        this.body = body;
        this.frames = new ChunkedFrames(new java.io.BufferedInputStream(body, 64 << 10), maxFrame, source);
        this.source = source;
    }

    @Override
    public boolean next() {
        if (closed) {
            return false;
        }
        try {
            if (!fill()) {
                return false;
            }
            Decoded d = queue.poll();
            labels = d.labels;
            List<AggrChunk> acc = d.chunks;
            while (fill() && queue.peek().labels.equals(labels)) {
                if (acc == d.chunks) {
                    acc = new ArrayList<>(acc);
                }
                acc.addAll(queue.poll().chunks);
            }
            chunks = acc == d.chunks ? acc : List.copyOf(acc);
            return true;
        } catch (IOException e) {
            close();
            throw PromClient.bad(java.net.URI.create(source), "read remote read response from", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Makes sure the queue holds at least one series unless the stream is over. */
    private boolean fill() throws IOException {
        while (queue.isEmpty() && !eof) {
            byte[] frame = frames.next();
            if (frame == null) {
                eof = true;
                break;
            }
            decodeFrame(frame);
        }
        return !queue.isEmpty();
    }

    /** ChunkedReadResponse: 1 = repeated ChunkedSeries, 2 = query_index. */
    private void decodeFrame(byte[] frame) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(frame);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == SERIES_TAG) {
                int len = in.readRawVarint32();
                int limit = in.pushLimit(len);
                decodeSeries(in, frame);
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
    }

    /** ChunkedSeries: 1 = repeated Label, 2 = repeated Chunk. */
    private void decodeSeries(CodedInputStream in, byte[] frame) throws IOException {
        scratch.reset();
        List<AggrChunk> out = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                String name = "";
                String value = "";
                int t;
                while ((t = in.readTag()) != 0) {
                    switch (WireFormat.getTagFieldNumber(t)) {
                        case 1 -> name = in.readStringRequireUtf8();
                        case 2 -> value = in.readStringRequireUtf8();
                        default -> in.skipField(t);
                    }
                }
                in.popLimit(limit);
                scratch.add(name, value);
            } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                out.add(decodeChunk(in, frame));
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        queue.add(new Decoded(scratch.build(), out));
    }

    /** prompb Chunk: 1 = min_time_ms, 2 = max_time_ms, 3 = type, 4 = data. */
    private AggrChunk decodeChunk(CodedInputStream in, byte[] frame) throws IOException {
        long mint = 0;
        long maxt = 0;
        int type = 0;
        ByteString data = ByteString.EMPTY;
        long hash = 0;
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> mint = in.readInt64();
                case 2 -> maxt = in.readInt64();
                case 3 -> type = in.readEnum();
                case 4 -> {
                    int len = in.readRawVarint32();
                    int off = in.getTotalBytesRead();
                    if (len < 0 || off + len > frame.length) {
                        throw new IOException("chunk data of " + len + " bytes runs past the frame");
                    }
                    data = UnsafeByteOperations.unsafeWrap(frame, off, len);
                    hash = XxHash64.hash(frame, off, len);
                    in.skipRawBytes(len);
                }
                default -> in.skipField(t);
            }
        }
        // Prometheus numbers encodings from UNKNOWN = 0, XOR = 1; Thanos from XOR = 0.
        Chunk.Encoding enc = switch (type) {
            case 1 -> Chunk.Encoding.XOR;
            case 2 -> Chunk.Encoding.HISTOGRAM;
            case 3 -> Chunk.Encoding.FLOAT_HISTOGRAM;
            default -> throw new ThanosException(ErrorCode.CORRUPTED, "read remote read response from " + source
                    + ": chunk with unknown encoding " + type);
        };
        return AggrChunk.newBuilder().setMinTime(mint).setMaxTime(maxt)
                .setRaw(Chunk.newBuilder().setType(enc).setData(data).setHash(hash))
                .build();
    }

    int framesRead() {
        return frames.frames();
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
        return List.of();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        try {
            body.close();
        } catch (IOException ignored) {
            // Closing aborts the exchange; nothing more to release.
        }
    }
}
