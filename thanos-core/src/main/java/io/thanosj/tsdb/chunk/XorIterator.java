package io.thanosj.tsdb.chunk;

import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;

/**
 * Decodes an XOR chunk sample by sample. Reusable through {@link XorChunk#iterator(SampleIterator)};
 * allocates nothing per sample. Corrupt data raises {@link ThanosException} naming the chunk's origin.
 */
final class XorIterator implements SampleIterator {
    private final BitReader br = new BitReader();
    private XorChunk chunk;
    private int total;
    private int read;
    private boolean done;

    private long t;
    private long vbits;
    private long tDelta;
    private int leading;
    private int trailing;

    void reset(XorChunk c) {
        chunk = c;
        br.reset(c.array(), c.offset() + 2, c.offset() + c.length());
        total = c.numSamples();
        read = 0;
        done = false;
        t = Long.MIN_VALUE;
        vbits = 0;
        tDelta = 0;
        leading = 0;
        trailing = 0;
    }

    @Override
    public boolean next() {
        if (read >= total) {
            done = true;
            return false;
        }
        try {
            if (read == 0) {
                t = br.readVarint();
                vbits = br.readBits(64);
            } else if (read == 1) {
                tDelta = br.readUvarint();
                t += tDelta;
                readValue();
            } else {
                t += (tDelta += readDod());
                readValue();
            }
        } catch (BitReader.EndOfChunkException e) {
            throw corrupt(e.getMessage());
        }
        read++;
        return true;
    }

    private long readDod() {
        if (!br.readBit()) {
            return 0;
        }
        int sz;
        if (!br.readBit()) {
            sz = 14;
        } else if (!br.readBit()) {
            sz = 17;
        } else if (!br.readBit()) {
            sz = 20;
        } else {
            return br.readBits(64);
        }
        long bits = br.readBits(sz);
        // Negative values come back as large unsigned ones (see Prometheus's docs/bstream.md).
        if (bits > (1L << (sz - 1))) {
            bits -= 1L << sz;
        }
        return bits;
    }

    private void readValue() {
        if (!br.readBit()) {
            return; // same value as before
        }
        if (br.readBit()) {
            leading = (int) br.readBits(5);
            int mbits = (int) br.readBits(6);
            if (mbits == 0) {
                mbits = 64; // 64 significant bits do not fit in 6 bits and are written as 0
            }
            trailing = 64 - leading - mbits;
            if (trailing < 0) {
                throw corrupt("invalid value encoding, " + leading + " leading zeros and " + mbits + " significant bits");
            }
        }
        int mbits = 64 - leading - trailing;
        if (mbits <= 0) {
            throw corrupt("invalid value encoding, no significant bits");
        }
        vbits ^= br.readBits(mbits) << trailing;
    }

    private ThanosException corrupt(String detail) {
        ThanosException e = ThanosException.corrupted("decode XOR chunk" + chunk.where() + ": " + detail
                + " (sample " + (read + 1) + " of " + total + ")");
        read = total;
        done = true;
        return e;
    }

    @Override
    public boolean seek(long ts) {
        if (done) {
            return false;
        }
        while (read == 0 || ts > t) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return Double.longBitsToDouble(vbits);
    }

    // State for XorAppender.continuing.
    long tDelta() {
        return tDelta;
    }

    long vbits() {
        return vbits;
    }

    int leading() {
        return leading;
    }

    int trailing() {
        return trailing;
    }

    long bitsRead() {
        return br.bitsRead();
    }
}
