package io.thanosj.store.local;

import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import java.nio.ByteBuffer;

/**
 * Cuts a chunk that reaches outside a request's time range down to the samples inside it. A
 * request asks for {@code [min_time, max_time]} and its reader ignores samples outside (the
 * StoreAPI's contract), so they need not cross the network: an instant query with a 5m window
 * over 2h blocks' 120-sample chunks needs a sixth of each chunk, and sending the rest costs the
 * querier more (transport and decoding) than re-encoding costs the store. A chunk left with no
 * sample inside is sent whole, so every series keeps at least one chunk. Not thread-safe; one per
 * reader.
 */
final class ChunkTrimmer {
    private final XorAppender appender = new XorAppender();
    private byte[] copy = new byte[256];
    private SampleIterator it;

    /**
     * Whether a chunk over {@code [cmin, cmax]} is worth cutting to {@code [mint, maxt]}: when less
     * than half of its time span is inside. Re-encoding costs the store about as much as decoding
     * the whole chunk; sending half a chunk more costs the reader less than that.
     */
    static boolean worthIt(long cmin, long cmax, long mint, long maxt) {
        if (cmin >= mint && cmax <= maxt) {
            return false;
        }
        long inside = Math.min(cmax, maxt) - Math.max(cmin, mint);
        return inside < (cmax - cmin) / 2;
    }

    /**
     * Re-encodes chunk {@code k} of the columns ({@code bufs[k]} from {@code at[k]}, {@code len[k]}
     * bytes; {@code times[2k]}, {@code times[2k+1]} its range) with only its samples in
     * {@code [mint, maxt]}, updating the columns in place.
     */
    void trim(ByteBuffer[] bufs, int[] at, int[] len, long[] times, int k, long mint, long maxt) {
        int n = len[k];
        if (copy.length < n) {
            copy = new byte[Math.max(n, copy.length * 2)];
        }
        bufs[k].get(at[k], copy, 0, n);
        appender.reset();
        long first = 0;
        long last = 0;
        try {
            it = XorChunk.wrap(copy, 0, n).iterator(it);
            if (it.seek(mint)) {
                do {
                    long t = it.t();
                    if (t > maxt) {
                        break;
                    }
                    if (appender.numSamples() == 0) {
                        first = t;
                    }
                    appender.append(t, it.v());
                    last = t;
                } while (it.next());
            }
        } catch (RuntimeException e) {
            // Undecodable (it passed its CRC, so written so): sent as it is, for the reader to report.
            return;
        }
        if (appender.numSamples() == 0) {
            return;
        }
        byte[] out = appender.chunk().bytes();
        bufs[k] = ByteBuffer.wrap(out);
        at[k] = 0;
        len[k] = out.length;
        times[2 * k] = first;
        times[2 * k + 1] = last;
    }
}
