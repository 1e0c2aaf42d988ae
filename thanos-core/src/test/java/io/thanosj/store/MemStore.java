package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store over series held in memory, for tests: adds its external labels to every series (as a
 * sidecar does), honours without_replica_labels, filters chunks by time, counts Series calls.
 */
class MemStore implements StoreServer {
    private final Labels external;
    private final List<SeriesSets.Entry> series = new ArrayList<>();
    private final boolean supportsWithoutReplicaLabels;
    final AtomicInteger seriesCalls = new AtomicInteger();

    MemStore(Labels external) {
        this(external, true);
    }

    MemStore(Labels external, boolean supportsWithoutReplicaLabels) {
        this.external = external;
        this.supportsWithoutReplicaLabels = supportsWithoutReplicaLabels;
    }

    MemStore add(Labels labels, AggrChunk... chunks) {
        LabelsBuilder b = labels.toBuilder();
        external.forEach(b::set);
        series.add(new SeriesSets.Entry(b.build(), List.of(chunks)));
        series.sort(Comparator.comparing(SeriesSets.Entry::labels));
        return this;
    }

    @Override
    public SeriesSet series(SeriesRequest request) {
        seriesCalls.incrementAndGet();
        List<Matcher> ms = Requests.checkSeries(request);
        List<SeriesSets.Entry> out = new ArrayList<>();
        for (SeriesSets.Entry e : series) {
            if (!Requests.matches(ms, e.labels())) {
                continue;
            }
            List<AggrChunk> cs = new ArrayList<>();
            for (AggrChunk c : e.chunks()) {
                if (c.getMaxTime() >= request.getMinTime() && c.getMinTime() <= request.getMaxTime()) {
                    cs.add(c);
                }
            }
            if (cs.isEmpty() && !e.chunks().isEmpty()) {
                continue;
            }
            Labels l = e.labels();
            if (supportsWithoutReplicaLabels && request.getWithoutReplicaLabelsCount() > 0) {
                l = l.without(request.getWithoutReplicaLabelsList().toArray(new String[0]));
            }
            out.add(new SeriesSets.Entry(l, request.getSkipChunks() ? List.of() : cs));
        }
        out.sort(Comparator.comparing(SeriesSets.Entry::labels));
        return SeriesSets.of(out);
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest request) {
        List<Matcher> ms = Requests.checkLabelNames(request);
        TreeSet<String> names = new TreeSet<>();
        for (SeriesSets.Entry e : series) {
            if (Requests.matches(ms, e.labels())) {
                e.labels().forEach((n, v) -> names.add(n));
            }
        }
        return LabelNamesResponse.newBuilder().addAllNames(names).build();
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest request) {
        List<Matcher> ms = Requests.checkLabelValues(request);
        TreeSet<String> values = new TreeSet<>();
        for (SeriesSets.Entry e : series) {
            if (Requests.matches(ms, e.labels()) && e.labels().has(request.getLabel())) {
                values.add(e.labels().get(request.getLabel()));
            }
        }
        return LabelValuesResponse.newBuilder().addAllValues(values).build();
    }

    @Override
    public StoreInfo info() {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (SeriesSets.Entry e : series) {
            for (AggrChunk c : e.chunks()) {
                min = Math.min(min, c.getMinTime());
                max = Math.max(max, c.getMaxTime());
            }
        }
        return new StoreInfo(external.isEmpty() ? List.of() : List.of(external), min, max, supportsWithoutReplicaLabels);
    }
}
