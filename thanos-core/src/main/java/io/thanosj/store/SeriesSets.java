package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.ArrayList;
import java.util.List;

/** Small factories for {@link SeriesSet}s. */
public final class SeriesSets {
    private SeriesSets() {}

    /** One series of a materialised set. */
    public record Entry(Labels labels, List<AggrChunk> chunks) {
        public Entry {
            // Columns are immutable already; copying would build every chunk's message.
            chunks = chunks instanceof SeriesChunks ? chunks : List.copyOf(chunks);
        }
    }

    /** A set over series already in memory; the caller guarantees label order. */
    public static SeriesSet of(List<Entry> series) {
        return of(series, List.of());
    }

    public static SeriesSet of(List<Entry> series, List<String> warnings) {
        return new ListSeriesSet(List.copyOf(series), List.copyOf(warnings));
    }

    private static final class ListSeriesSet implements SeriesSet {
        private final List<Entry> series;
        private final List<String> warnings;
        private int i = -1;

        ListSeriesSet(List<Entry> series, List<String> warnings) {
            this.series = series;
            this.warnings = warnings;
        }

        @Override
        public boolean next() {
            if (i + 1 >= series.size()) {
                i = series.size();
                return false;
            }
            i++;
            return true;
        }

        @Override
        public Labels labels() {
            return series.get(i).labels();
        }

        @Override
        public List<AggrChunk> chunks() {
            return series.get(i).chunks();
        }

        @Override
        public List<String> warnings() {
            return warnings;
        }

        @Override
        public void close() {
            i = series.size();
        }
    }

    /**
     * K-way merge of sets each sorted by labels, through a loser tree: series with equal labels
     * become one whose chunks are sorted by time with exact duplicates dropped. At most
     * {@code limit} series (0: no limit). Closing the result closes every source.
     */
    public static SeriesSet merge(List<? extends SeriesSet> sorted, long limit) {
        return new MergedSeriesSet(sorted, limit);
    }

    /** Reads a whole set into memory; for tests and small results only. */
    public static List<Entry> drain(SeriesSet set) {
        List<Entry> out = new ArrayList<>();
        try (set) {
            while (set.next()) {
                out.add(new Entry(set.labels(), set.chunks()));
            }
        }
        return out;
    }
}
