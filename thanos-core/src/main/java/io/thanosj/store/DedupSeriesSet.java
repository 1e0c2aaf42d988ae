package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Series whose replica labels were removed, each folded into one sample stream. Consecutive
 * series with equal labels are one series (the proxy merges them already; a plain store may not).
 * Its chunks, sorted by min time, are split into runs that do not overlap (Thanos's overlap
 * split): each run is one replica's data, or a part of it, and the runs are folded by
 * {@link PenaltyIterator}.
 */
final class DedupSeriesSet implements SampleSeriesSet {
    private static final Comparator<AggrChunk> BY_TIME =
            Comparator.comparingLong(AggrChunk::getMinTime).thenComparingLong(AggrChunk::getMaxTime);

    private final SeriesSet in;
    private final long mint;
    private final long maxt;
    private final boolean counter;
    private final Dedup.RunDecoder runs;
    private boolean peeked;   // in is positioned on a series not yet consumed
    private boolean inDone;
    private Labels labels;
    private List<AggrChunk> chunks;

    DedupSeriesSet(SeriesSet in, long mint, long maxt, boolean counter, Dedup.RunDecoder runs) {
        this.in = in;
        this.mint = mint;
        this.maxt = maxt;
        this.counter = counter;
        this.runs = runs;
    }

    @Override
    public boolean next() {
        if (!peeked && (inDone || !(peeked = in.next()))) {
            inDone = true;
            return false;
        }
        labels = in.labels();
        chunks = in.chunks();
        List<AggrChunk> more = null;
        while ((peeked = in.next()) && in.labels().equals(labels)) {
            if (more == null) {
                more = new ArrayList<>(chunks);
            }
            more.addAll(in.chunks());
        }
        inDone = !peeked;
        if (more != null) {
            chunks = more;
        }
        return true;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public SampleIterator iterator() {
        List<List<AggrChunk>> split = splitOverlaps(chunks);
        if (split.size() == 1) {
            return runs.decode(labels, chunks, split.get(0), mint, maxt);
        }
        ReplicaCursor it = ReplicaCursor.of(runs.decode(labels, chunks, split.get(0), mint, maxt), counter);
        for (int i = 1; i < split.size(); i++) {
            it = new PenaltyIterator(it, ReplicaCursor.of(runs.decode(labels, chunks, split.get(i), mint, maxt), counter));
        }
        return it;
    }

    /** Greedy: each chunk joins the first run whose last chunk ends before it starts. */
    static List<List<AggrChunk>> splitOverlaps(List<AggrChunk> chunks) {
        List<AggrChunk> sorted = chunks;
        for (int i = 1; i < chunks.size(); i++) {
            if (BY_TIME.compare(chunks.get(i - 1), chunks.get(i)) > 0) {
                sorted = new ArrayList<>(chunks);
                sorted.sort(BY_TIME);
                break;
            }
        }
        List<List<AggrChunk>> runs = new ArrayList<>(2);
        List<AggrChunk> first = new ArrayList<>(sorted.size());
        runs.add(first);
        next:
        for (AggrChunk c : sorted) {
            for (List<AggrChunk> run : runs) {
                if (run.isEmpty() || run.get(run.size() - 1).getMaxTime() < c.getMinTime()) {
                    run.add(c);
                    continue next;
                }
            }
            List<AggrChunk> run = new ArrayList<>();
            run.add(c);
            runs.add(run);
        }
        return runs;
    }

    @Override
    public List<String> warnings() {
        return in.warnings();
    }

    @Override
    public void close() {
        in.close();
    }
}
