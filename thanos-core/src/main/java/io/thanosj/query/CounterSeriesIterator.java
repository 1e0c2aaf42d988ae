package io.thanosj.query;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.List;

/**
 * A counter read from downsampled chunks, as Thanos reads it (its ApplyCounterResetsSeriesIterator):
 * the samples become one running total that never decreases, so PromQL's rate and increase see
 * the resets already accounted for.
 *
 * <p>A counter aggregate chunk holds the first raw value at the first raw timestamp, then per
 * window the total since that first value (resets inside the chunk applied), and ends with the
 * last raw value again, at the timestamp of the last window. That repeated timestamp marks the
 * true last value, so that the next chunk's first value can be compared with it: lower is a reset
 * (the total grows by the new value), otherwise the total grows by the difference. Raw chunks in
 * the same series are read the same way. NaN (stale markers) are dropped. The total starts at the
 * series' first value. As in Thanos, {@code resets()} over such a series finds no reset.
 *
 * <p>Seeks step through every sample: skipping one would lose its share of the total.
 */
final class CounterSeriesIterator implements SampleIterator {
    private final ChunkDecoder decoder;
    private final int size;
    private int next;
    private SampleIterator cur = SampleIterator.EMPTY;
    private boolean started;
    private long t = Long.MIN_VALUE;
    private double last;  // last raw value seen
    private double total; // the running total, the value returned

    CounterSeriesIterator(List<AggrChunk> chunks, Labels series) {
        this.decoder = new ChunkDecoder(chunks, ChunkView.COUNTER, series);
        this.size = chunks.size();
    }

    @Override
    public boolean next() {
        while (true) {
            while (!cur.next()) {
                if (next >= size) {
                    return false;
                }
                cur = decoder.open(next++);
            }
            long ct = cur.t();
            double cv = cur.v();
            if (Double.isNaN(cv)) {
                continue;
            }
            if (!started) {
                started = true;
                t = ct;
                last = cv;
                total = cv;
                return true;
            }
            if (ct > t) {
                total += cv >= last ? cv - last : cv;
                t = ct;
                last = cv;
                return true;
            }
            if (ct == t) {
                // The repeated last sample of a counter chunk: the true last raw value.
                last = cv;
            }
            // Earlier samples (overlapping chunks) are dropped.
        }
    }

    @Override
    public boolean seek(long target) {
        return SampleIterator.stepTo(this, started, target);
    }

    @Override
    public long t() {
        return t;
    }

    @Override
    public double v() {
        return total;
    }
}
