package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * k-way merge of sorted series sets through a {@link LoserTree}. Series with equal labels from
 * several sources (or split over frames of one) become one series whose chunks are sorted by time
 * with identical chunks dropped. Holds one current series per source, never whole responses.
 */
final class MergedSeriesSet implements SeriesSet {
    private final SeriesSet[] sources;
    private final boolean[] alive;
    private final long limit;
    private LoserTree tree;
    private long returned;
    private boolean done;
    private Labels labels;
    private List<AggrChunk> chunks;

    /** {@code limit}: at most this many series, 0 for no limit. */
    MergedSeriesSet(List<? extends SeriesSet> sources, long limit) {
        this.sources = sources.toArray(new SeriesSet[0]);
        this.alive = new boolean[this.sources.length];
        this.limit = limit;
    }

    private boolean less(int a, int b) {
        if (!alive[a]) {
            return false;
        }
        if (!alive[b]) {
            return true;
        }
        int c = sources[a].labels().compareTo(sources[b].labels());
        return c < 0 || (c == 0 && a < b);
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (tree == null) {
            if (sources.length == 0) {
                done = true;
                return false;
            }
            for (int i = 0; i < sources.length; i++) {
                alive[i] = sources[i].next();
            }
            tree = new LoserTree(sources.length, this::less);
        }
        int w = tree.winner();
        if (!alive[w] || (limit > 0 && returned >= limit)) {
            done = true;
            return false;
        }
        labels = sources[w].labels();
        List<AggrChunk> first = sources[w].chunks();
        List<AggrChunk> merged = null;
        advance(w);
        while (alive[w = tree.winner()] && sources[w].labels().equals(labels)) {
            if (merged == null) {
                merged = new ArrayList<>(first);
            }
            merged.addAll(sources[w].chunks());
            advance(w);
        }
        chunks = merged == null ? first : ChunkOrder.sortUnique(merged);
        returned++;
        return true;
    }

    private void advance(int i) {
        alive[i] = sources[i].next();
        tree.replay();
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
        List<String> all = new ArrayList<>();
        for (SeriesSet s : sources) {
            all.addAll(s.warnings());
        }
        return all;
    }

    @Override
    public void close() {
        done = true;
        RuntimeException first = null;
        for (SeriesSet s : sources) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
