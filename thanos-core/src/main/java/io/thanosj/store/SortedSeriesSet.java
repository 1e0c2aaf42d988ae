package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Buffers and sorts a whole stream: the fallback for a store that ignores
 * {@code without_replica_labels} and has varying replica labels, so removing them may break its
 * order (Thanos's eager retrieval). Bounded by {@code maxSeries} (0: unbounded) so a huge
 * response fails clearly instead of exhausting the heap.
 */
final class SortedSeriesSet implements SeriesSet {
    private final SeriesSet delegate;
    private final long maxSeries;
    private List<SeriesSets.Entry> buffered;
    private int i = -1;

    SortedSeriesSet(SeriesSet delegate, long maxSeries) {
        this.delegate = delegate;
        this.maxSeries = maxSeries;
    }

    @Override
    public boolean next() {
        if (buffered == null) {
            buffered = new ArrayList<>();
            while (delegate.next()) {
                if (maxSeries > 0 && buffered.size() >= maxSeries) {
                    throw Limits.exceeded("series", maxSeries, buffered.size() + 1);
                }
                buffered.add(new SeriesSets.Entry(delegate.labels(), delegate.chunks()));
            }
            buffered.sort(Comparator.comparing(SeriesSets.Entry::labels)); // stable: keeps frame order
        }
        if (i + 1 >= buffered.size()) {
            i = buffered.size();
            return false;
        }
        i++;
        return true;
    }

    @Override
    public Labels labels() {
        return buffered.get(i).labels();
    }

    @Override
    public List<AggrChunk> chunks() {
        return buffered.get(i).chunks();
    }

    @Override
    public List<String> warnings() {
        return delegate.warnings();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
