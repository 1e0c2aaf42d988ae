package io.thanosj.store.bucket;

import com.google.protobuf.UnsafeByteOperations;
import io.thanosj.model.ThanosException;
import io.thanosj.model.XxHash64;
import io.thanosj.proto.storepb.Aggr;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.tsdb.chunk.ChunkSegments;
import io.thanosj.tsdb.encoding.Decbuf;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * Reads chunks of one block by reference with merged range reads (Thanos's
 * {@code bucketChunkReader}): references are sorted, grouped by segment file, and partitioned with
 * each chunk assumed at most the block's estimated maximum chunk size; a chunk found longer is
 * refetched alone. Checksums are verified. Raw XOR and histogram chunks are passed through;
 * downsampled aggregate chunks (encoding 0xff) are split into the aggregates the request asks for.
 * <p>
 * Each partition is read on the executor as a stream, and its chunks are decoded and published
 * as their bytes arrive: a consumer waiting for the chunks of one series ({@link ChunkFetch#await})
 * goes on as soon as those are in, while the rest of a multi-megabyte read is still on the way.
 */
final class ChunkFetcher {
    static final int ENC_XOR = 1;
    static final int ENC_HISTOGRAM = 2;
    static final int ENC_FLOAT_HISTOGRAM = 3;
    /** Thanos's downsampling {@code ChunkEncAggr}. */
    static final int ENC_AGGR = 0xff;
    /** Bytes read from a partition's stream between two rounds of decoding. */
    static final int READ_STEP = 128 * 1024;
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Partitions of at most this many chunks and bytes are decoded by the caller when cached. */
    static final int INLINE_MAX_CHUNKS = 256;
    static final long INLINE_MAX_BYTES = 1 << 20;
    /** A partition longer than this many times its chunks' estimated sizes is mostly gaps. */
    static final long SPARSE_FACTOR = 4;

    /** One partition of a segment file, {@code segStart} being its segment's first index in the sorted order. */
    private record PartRead(int seg, int segStart, GapPartitioner.Part part) {}

    private final BucketBlock block;
    private final QueryLimits limits;
    private final List<Aggr> aggregates;

    ChunkFetcher(BucketBlock block, QueryLimits limits, List<Aggr> aggregates) {
        this.block = block;
        this.limits = limits;
        this.aggregates = aggregates;
    }

    /**
     * Starts fetching the chunks {@code refs[from..to)} (with their time ranges) into the returned
     * fetch's {@code out[0..to-from)}, one task per partition on {@code executor}. Bytes are
     * reserved against the limits before any read starts.
     */
    ChunkFetch start(long[] refs, long[] mints, long[] maxts, int from, int to, Executor executor) {
        int n = to - from;
        ChunkFetch f = new ChunkFetch(n);
        if (n == 0) {
            return f;
        }
        int[] order = new int[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && Long.compareUnsigned(refs[from + i - 1], refs[from + i]) > 0) {
                sorted = false;
            }
        }
        if (!sorted) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> Long.compareUnsigned(refs[from + a], refs[from + b]));
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
            }
        }
        List<PartRead> reads = new ArrayList<>();
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
                reads.add(new PartRead(seg, segStart, p));
            }
            i = j;
        }
        limits.reserveBytes(size, "chunks");
        block.metrics.chunksFetchedBytes.increment(size);
        List<Runnable> tasks = new ArrayList<>(reads.size());
        for (PartRead r : reads) {
            GapPartitioner.Part p = r.part;
            int count = p.to() - p.from();
            // Each partition is looked up in a cache in front of the bucket at most once here or
            // in readPartition: with a remote cache every lookup is a round trip.
            boolean probed = false;
            try {
                if (count <= INLINE_MAX_CHUNKS && p.length() > SPARSE_FACTOR * count * block.maxChunkSize) {
                    // Gaps merged for one bucket request are bytes a cache would copy for
                    // nothing: the chunks of a sparse partition are looked up one by one. When one
                    // is missing, so is the whole range.
                    if (decodeEachCached(f, r, order, refs, mints, maxts, from)) {
                        continue;
                    }
                    probed = true;
                } else if (count <= INLINE_MAX_CHUNKS && p.length() <= INLINE_MAX_BYTES) {
                    // A small partition held whole by the cache is decoded here: handing it to a
                    // pool thread would cost more than decoding it.
                    byte[] buf = block.bkt.cachedRangeBytes(file(r.seg), p.start(), (int) p.length());
                    if (buf != null) {
                        decode(f, buf, buf.length, r.seg, p, order, r.segStart, refs, mints, maxts, from);
                        continue;
                    }
                    probed = true;
                }
            } catch (RuntimeException e) {
                f.started(1);
                f.finished(e);
                return f;
            }
            boolean probe = !probed;
            for (int k = p.from(); k < p.to(); k++) {
                f.readOf[order[r.segStart + k]] = tasks.size();
            }
            f.readSizes.add(p.length());
            tasks.add(() -> readPartition(f, r.seg, p, order, r.segStart, refs, mints, maxts, from, probe));
        }
        if (tasks.isEmpty()) {
            return f;
        }
        f.started(tasks.size());
        for (Runnable t : tasks) {
            f.reads.add(OnceTask.submit(() -> {
                RuntimeException err = null;
                try {
                    t.run();
                } catch (RuntimeException e) {
                    err = e;
                }
                f.finished(err);
            }, executor));
        }
        return f;
    }

    /**
     * Decodes the chunks of partition {@code r} each from its own cached range; false (and
     * nothing published) when one of them is not cached whole.
     */
    private boolean decodeEachCached(ChunkFetch f, PartRead r, int[] order, long[] refs, long[] mints, long[] maxts, int from) {
        GapPartitioner.Part p = r.part;
        String name = file(r.seg);
        AggrChunk[] got = new AggrChunk[p.to() - p.from()];
        for (int k = p.from(); k < p.to(); k++) {
            int idx = order[r.segStart + k];
            long off = ChunkSegments.offset(refs[from + idx]);
            byte[] buf = block.bkt.cachedRangeBytes(name, off, (int) Math.min(block.maxChunkSize, p.end() - off));
            if (buf == null) {
                return false;
            }
            got[k - p.from()] = chunk(buf, buf.length, 0, r.seg, off, mints[from + idx], maxts[from + idx]);
        }
        for (int k = p.from(); k < p.to(); k++) {
            f.out[order[r.segStart + k]] = got[k - p.from()];
        }
        return true;
    }

    /**
     * Reads one partition as a stream, decoding and publishing its chunks as their bytes arrive;
     * first from a cache in front of the bucket when {@code probe} (it was not looked up yet).
     */
    private void readPartition(ChunkFetch f, int seg, GapPartitioner.Part p, int[] order, int segStart, long[] refs, long[] mints,
            long[] maxts, int from, boolean probe) {
        if (f.cancelled) {
            return;
        }
        String name = file(seg);
        if (p.length() > Integer.MAX_VALUE - 16) {
            throw new ThanosException(io.thanosj.model.ErrorCode.RESOURCE_EXHAUSTED, "read " + name + ": range of "
                    + p.length() + " bytes at offset " + p.start() + " is larger than 2GiB");
        }
        int len = (int) p.length();
        int k = p.from();
        byte[] cached = probe ? block.bkt.cachedRangeBytes(name, p.start(), len) : null;
        if (cached != null) {
            decode(f, cached, cached.length, seg, p, order, segStart, refs, mints, maxts, from);
            f.published();
            return;
        }
        if (block.bkt.buffersRanges(name)) {
            byte[] buf = block.bkt.getRangeBytes(name, p.start(), len);
            decode(f, buf, buf.length, seg, p, order, segStart, refs, mints, maxts, from);
            f.published();
            return;
        }
        byte[] buf = new byte[len];
        int filled = 0;
        try (InputStream in = block.bkt.getRange(name, p.start(), len)) {
            boolean all = false;
            while (k < p.to()) {
                if (f.cancelled) {
                    return;
                }
                if (!all) {
                    int r = in.read(buf, filled, Math.min(READ_STEP, len - filled));
                    if (r > 0) {
                        filled += r;
                    }
                    all = r < 0 || filled == len;
                }
                int before = k;
                for (; k < p.to(); k++) {
                    int idx = order[segStart + k];
                    long off = ChunkSegments.offset(refs[from + idx]);
                    int at = (int) (off - p.start());
                    if (!all && !complete(buf, at, filled)) {
                        break;
                    }
                    f.out[idx] = chunk(buf, all ? filled : buf.length, at, seg, off, mints[from + idx], maxts[from + idx]);
                }
                if (k > before) {
                    f.published();
                }
            }
        } catch (IOException e) {
            throw new ThanosException(io.thanosj.model.ErrorCode.UNAVAILABLE, "read " + name + " range [" + p.start() + ", "
                    + p.end() + ") from bucket " + block.bkt.name() + ": " + e, e);
        }
    }

    /** Decodes the chunks of partition {@code p} from its bytes {@code buf[0..limit)} into {@code f.out}. */
    private void decode(ChunkFetch f, byte[] buf, int limit, int seg, GapPartitioner.Part p, int[] order, int segStart,
            long[] refs, long[] mints, long[] maxts, int from) {
        for (int k = p.from(); k < p.to(); k++) {
            int idx = order[segStart + k];
            long off = ChunkSegments.offset(refs[from + idx]);
            f.out[idx] = chunk(buf, limit, (int) (off - p.start()), seg, off, mints[from + idx], maxts[from + idx]);
        }
    }

    private static int crc32c(byte[] buf, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buf, from, to - from);
        return (int) crc.getValue();
    }

    /** Whether the chunk at {@code at} lies within the first {@code filled} bytes, checksum included. */
    private static boolean complete(byte[] buf, int at, int filled) {
        long pre = lengthPrefix(buf, at, filled);
        return pre >= 0 && at + (pre & 7) + 1L + (pre >>> 3) + 4 <= filled;
    }

    private String file(int seg) {
        return block.chunkFile(seg);
    }

    /**
     * A chunk's length prefix in {@code buf[at..limit)}: a uvarint of at most 5 bytes (chunks stay
     * below 2GiB), returned as {@code length << 3 | prefix bytes}; -1 when cut off or invalid.
     */
    private static long lengthPrefix(byte[] buf, int at, int limit) {
        long v = 0;
        for (int i = 0, shift = 0; i < 5 && at + i < limit; i++, shift += 7) {
            int c = buf[at + i] & 0xff;
            v |= (long) (c & 0x7f) << shift;
            if (c < 0x80) {
                return v > Integer.MAX_VALUE - 16 ? -1 : (v << 3) | (i + 1);
            }
        }
        return -1;
    }

    /** The chunk at {@code at} of {@code buf[0..limit)} (file offset {@code off}), refetched alone when cut short. */
    private AggrChunk chunk(byte[] buf, int limit, int at, int seg, long off, long mint, long maxt) {
        int len = -1;
        int head = 0;
        long p = lengthPrefix(buf, at, limit);
        if (p >= 0) {
            len = (int) (p >>> 3);
            head = (int) (p & 7);
        }
        if (len < 0 || at + head + 1L + len + 4 > limit) {
            block.metrics.chunkRefetches.increment();
            if (len < 0) {
                buf = block.readChunks(seg, off, 10);
                p = lengthPrefix(buf, 0, buf.length);
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
            at = 0;
        }
        int encAt = at + head;
        int dataAt = encAt + 1;
        int end = dataAt + len;
        if ((int) INT_BE.get(buf, end) != crc32c(buf, encAt, end)) {
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
