package io.thanosj.query;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;

/**
 * The window averages of a downsampled chunk: its sum aggregate divided by its count aggregate,
 * sample by sample. The two sub-chunks were written together, one sample per window each, so their
 * timestamps must agree; a store that sends them otherwise fails the query.
 */
final class AverageIterator implements SampleIterator {
    private SampleIterator count;
    private SampleIterator sum;
    private ChunkDecoder owner;
    private long mint;
    private long maxt;
    private long t;
    private double v;

    AverageIterator reset(SampleIterator count, SampleIterator sum, ChunkDecoder owner, long mint, long maxt) {
        this.count = count;
        this.sum = sum;
        this.owner = owner;
        this.mint = mint;
        this.maxt = maxt;
        return this;
    }

    SampleIterator count() {
        return count;
    }

    SampleIterator sum() {
        return sum;
    }

    @Override
    public boolean next() {
        return at(count.next(), sum.next());
    }

    @Override
    public boolean seek(long target) {
        return at(count.seek(target), sum.seek(target));
    }

    private boolean at(boolean hasCount, boolean hasSum) {
        if (hasCount != hasSum || hasCount && count.t() != sum.t()) {
            throw new ThanosException(ErrorCode.EXECUTION, owner.where(mint, maxt) + ": count and sum aggregates are not aligned"
                    + (hasCount ? " at " + count.t() : "") + (hasSum ? " (sum at " + sum.t() + ")" : ""));
        }
        if (!hasCount) {
            return false;
        }
        t = count.t();
        v = sum.v() / count.v();
        return true;
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return v;
    }
}
