package io.thanosj.store.bucket;

import com.google.protobuf.UnsafeByteOperations;
import io.thanosj.model.ThanosException;
import io.thanosj.model.XxHash64;
import io.thanosj.proto.storepb.Aggr;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.tsdb.chunk.ChunkSegments;
import io.thanosj.tsdb.encoding.Decbuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads chunks of one block by reference with merged range reads (Thanos's
 * {@code bucketChunkReader}): references are sorted, grouped by segment file, and partitioned with
 * each chunk assumed at most the block's estimated maximum chunk size; a chunk found longer is
 * refetched alone. Checksums are verified. Raw XOR and histogram chunks are passed through;
 * downsampled aggregate chunks (encoding 0xff) are split into the aggregates the request asks for.
 */
final class ChunkFetcher {
    static final int ENC_XOR = 1;
    static final int ENC_HISTOGRAM = 2;
    static final int ENC_FLOAT_HISTOGRAM = 3;
    /** Thanos's downsampling {@code ChunkEncAggr}. */
    static final int ENC_AGGR = 0xff;

    private final BucketBlock block;
    private final QueryLimits limits;
    private final List<Aggr> aggregates;

    ChunkFetcher(BucketBlock block, QueryLimits limits, List<Aggr> aggregates) {
        this.block = block;
        this.limits = limits;
        this.aggregates = aggregates;
    }

    /**
     * Fetches the chunks {@code refs[from..to)} (with their time ranges) into {@code out[0..to-from)}.
     */
    void fetch(long[] refs, long[] mints, long[] maxts, int from, int to, AggrChunk[] out) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        Integer[] order = new Integer[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && Long.compareUnsigned(refs[from + i - 1], refs[from + i]) > 0) {
                sorted = false;
            }
        }
        if (!sorted) {
            Arrays.sort(order, (a, b) -> Long.compareUnsigned(refs[from + a], refs[from + b]));
        }
        List<Runnable> tasks = new ArrayList<>();
        long size = 0;
        int i = 0;
        while (i < n) {
            int seg = ChunkSegments.segmentIndex(refs[from + order[i]]);
            int j = i;
            while (j < n && ChunkSegments.segmentIndex(refs[from + order[j]]) == seg) {
                j++;
            }
            final int segStart = i;
            final long max = block.maxChunkSize;
            List<GapPartitioner.Part> parts = block.partitioner.partition(j - i, new GapPartitioner.Ranges() {
                @Override
                public long start(int k) {
                    return ChunkSegments.offset(refs[from + order[segStart + k]]);
                }

                @Override
                public long end(int k) {
                    return ChunkSegments.offset(refs[from + order[segStart + k]]) + max;
                }
            });
            for (GapPartitioner.Part p : parts) {
                size += p.length();
                tasks.add(() -> {
                    byte[] buf = block.readChunks(seg, p.start(), p.length());
                    for (int k = p.from(); k < p.to(); k++) {
                        int idx = order[segStart + k];
                        long off = ChunkSegments.offset(refs[from + idx]);
                        out[idx] = chunk(buf, (int) (off - p.start()), seg, off, mints[from + idx], maxts[from + idx]);
                    }
                });
            }
            i = j;
        }
        limits.reserveBytes(size, "chunks");
        block.metrics.chunksFetchedBytes.increment(size);
        block.runAll(tasks);
    }

    private String file(int seg) {
        return block.chunkFile(seg);
    }

    /** A chunk's length prefix: a uvarint of at most 5 bytes (chunks stay below 2GiB); -1 when cut off or invalid. */
    private static long lengthPrefix(byte[] buf, int at) {
        long v = 0;
        for (int i = 0, shift = 0; i < 5 && at + i < buf.length; i++, shift += 7) {
            int c = buf[at + i] & 0xff;
            v |= (long) (c & 0x7f) << shift;
            if (c < 0x80) {
                return v > Integer.MAX_VALUE - 16 ? -1 : (v << 3) | (i + 1);
            }
        }
        return -1;
    }

    private AggrChunk chunk(byte[] buf, int at, int seg, long off, long mint, long maxt) {
        ByteBuffer b = ByteBuffer.wrap(buf);
        int len = -1;
        int head = 0;
        long p = lengthPrefix(buf, at);
        if (p >= 0) {
            len = (int) (p >>> 3);
            head = (int) (p & 7);
        }
        if (len < 0 || at + head + 1L + len + 4 > buf.length) {
            block.metrics.chunkRefetches.increment();
            if (len < 0) {
                buf = block.readChunks(seg, off, 10);
                p = lengthPrefix(buf, 0);
                if (p < 0) {
                    throw ThanosException.corrupted("read chunk in " + file(seg) + ": invalid chunk length at offset " + off);
                }
                len = (int) (p >>> 3);
                head = (int) (p & 7);
            }
            long want = head + 1L + len + 4;
            limits.reserveBytes(want, "chunks");
            buf = block.readChunks(seg, off, want);
            if (buf.length < want) {
                throw ThanosException.corrupted("read chunk in " + file(seg) + ": chunk of " + len + " bytes at offset "
                        + off + " runs past the end of the segment");
            }
            b = ByteBuffer.wrap(buf);
            at = 0;
        }
        int encAt = at + head;
        int dataAt = encAt + 1;
        int end = dataAt + len;
        if (b.getInt(end) != Decbuf.crc32c(b, encAt, end)) {
            throw ThanosException.corrupted("read chunk in " + file(seg) + ": checksum mismatch at offset " + off);
        }
        int enc = buf[encAt] & 0xff;
        AggrChunk.Builder out = AggrChunk.newBuilder().setMinTime(mint).setMaxTime(maxt);
        switch (enc) {
            case ENC_XOR -> out.setRaw(raw(Chunk.Encoding.XOR, buf, dataAt, len));
            case ENC_HISTOGRAM -> out.setRaw(raw(Chunk.Encoding.HISTOGRAM, buf, dataAt, len));
            case ENC_FLOAT_HISTOGRAM -> out.setRaw(raw(Chunk.Encoding.FLOAT_HISTOGRAM, buf, dataAt, len));
            case ENC_AGGR -> aggregates(buf, dataAt, end, seg, off, out);
            default -> throw ThanosException.corrupted("read chunk in " + file(seg) + ": unsupported chunk encoding "
                    + enc + " at offset " + off);
        }
        return out.build();
    }

    private static Chunk raw(Chunk.Encoding type, byte[] buf, int at, int len) {
        // A view, not a copy: fetched arrays are never modified, and the batch holding the view is
        // short-lived (sent, then dropped).
        return Chunk.newBuilder().setType(type).setData(UnsafeByteOperations.unsafeWrap(buf, at, len))
                .setHash(XxHash64.hash(buf, at, len)).build();
    }

    /**
     * Thanos's {@code AggrChunk}: for count, sum, min, max and counter in turn, a uvarint data
     * length (0: absent), then the sub-chunk's encoding byte and data.
     */
    private void aggregates(byte[] buf, int at, int end, int seg, long off, AggrChunk.Builder out) {
        int[] subAt = new int[5];
        int[] subLen = new int[5];
        Arrays.fill(subAt, -1);
        Decbuf d = new Decbuf(ByteBuffer.wrap(buf).limit(end), off, file(seg));
        d.position(at);
        for (int t = 0; t < 5 && d.remaining() > 0; t++) {
            int l = d.uvarintInt();
            if (l == 0) {
                continue;
            }
            subAt[t] = d.position();
            subLen[t] = l;
            d.skip(l + 1);
        }
        for (Aggr a : aggregates) {
            int t = switch (a) {
                case COUNT -> 0;
                case SUM -> 1;
                case MIN -> 2;
                case MAX -> 3;
                case COUNTER -> 4;
                default -> -1;
            };
            if (t < 0) {
                continue;
            }
            if (subAt[t] < 0) {
                throw new ThanosException(io.thanosj.model.ErrorCode.EXECUTION, "read chunk in " + file(seg) + " at offset "
                        + off + ": aggregate " + a.name().toLowerCase(java.util.Locale.ROOT) + " does not exist");
            }
            int encByte = buf[subAt[t]] & 0xff;
            Chunk.Encoding type = switch (encByte) {
                case ENC_XOR -> Chunk.Encoding.XOR;
                case ENC_HISTOGRAM -> Chunk.Encoding.HISTOGRAM;
                case ENC_FLOAT_HISTOGRAM -> Chunk.Encoding.FLOAT_HISTOGRAM;
                default -> throw ThanosException.corrupted("read chunk in " + file(seg) + ": aggregate chunk at offset " + off
                        + " holds unsupported encoding " + encByte);
            };
            Chunk c = raw(type, buf, subAt[t] + 1, subLen[t]);
            switch (t) {
                case 0 -> out.setCount(c);
                case 1 -> out.setSum(c);
                case 2 -> out.setMin(c);
                case 3 -> out.setMax(c);
                default -> out.setCounter(c);
            }
        }
    }
}
