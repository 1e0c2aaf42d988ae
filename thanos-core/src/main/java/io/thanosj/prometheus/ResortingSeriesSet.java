package io.thanosj.prometheus;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.store.SeriesSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Serves Prometheus's series with external labels, sorted by the resulting labels, while
 * streaming: a series is held back only until {@link ExternalLabels#admits} proves that nothing
 * Prometheus sends later can sort before it. Stops after {@code limit} series (0: no limit).
 */
final class ResortingSeriesSet implements SeriesSet {
    private final SeriesSet raw;
    private final ExternalLabels ext;
    private final long limit;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private final PriorityQueue<Held> held = new PriorityQueue<>();
    private long seq;
    private long sent;
    private boolean rawDone;
    private Held current;

    private record Held(Labels labels, List<AggrChunk> chunks, long seq) implements Comparable<Held> {
        @Override
        public int compareTo(Held o) {
            int c = labels.compareTo(o.labels);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    ResortingSeriesSet(SeriesSet raw, ExternalLabels ext, long limit) {
        this.raw = raw;
        this.ext = ext;
        this.limit = limit;
    }

    @Override
    public boolean next() {
        if (limit > 0 && sent >= limit) {
            close();
            return false;
        }
        while (true) {
            Held h = held.peek();
            if (h != null && (rawDone || ext.admits(h.labels))) {
                current = held.poll();
                sent++;
                return true;
            }
            if (rawDone) {
                current = null;
                return false;
            }
            if (!raw.next()) {
                rawDone = true;
                continue;
            }
            Labels in = raw.labels();
            held.add(new Held(ext.apply(in, scratch), raw.chunks(), seq++));
            ext.bound(in);
        }
    }

    /** Series held back right now; for tests. */
    int heldCount() {
        return held.size();
    }

    @Override
    public Labels labels() {
        return current.labels;
    }

    @Override
    public List<AggrChunk> chunks() {
        return current.chunks;
    }

    @Override
    public List<String> warnings() {
        return raw.warnings();
    }

    @Override
    public void close() {
        held.clear();
        raw.close();
    }
}
