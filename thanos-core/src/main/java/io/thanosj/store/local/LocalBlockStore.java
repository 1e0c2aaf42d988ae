package io.thanosj.store.local;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.SeriesSets;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreServer;
import io.thanosj.tsdb.block.Block;
import io.thanosj.tsdb.block.BlockSeriesSet;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.XorChunk;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The StoreAPI over one local TSDB block, with the block's external labels added to every series
 * (as Thanos's TSDB store does for receive and rule). Chunks are passed through as stored; a
 * proxy over several of these merges them.
 *
 * <p>Adding external labels can break the label order of a block's series, so each response is
 * collected and re-sorted when that happens; responses are bounded by the block, not streamed.
 */
public final class LocalBlockStore implements StoreServer {
    private final Block block;
    private final Labels external;

    public LocalBlockStore(Block block, Labels external) {
        this.block = Objects.requireNonNull(block, "block");
        this.external = Objects.requireNonNull(external, "external");
    }

    @Override
    public SeriesSet series(SeriesRequest request) {
        List<Matcher> matchers = Requests.checkSeries(request);
        List<Matcher> local = new ArrayList<>();
        for (Matcher m : matchers) {
            if (external.has(m.name())) {
                if (!m.matches(external.get(m.name()))) {
                    return SeriesSet.empty();
                }
            } else {
                local.add(m);
            }
        }
        long mint = request.getMinTime();
        long maxt = request.getMaxTime();
        if (!info().overlaps(mint, maxt)) {
            return SeriesSet.empty();
        }
        List<String> dropped = request.getWithoutReplicaLabelsList();
        List<SeriesSets.Entry> out = new ArrayList<>();
        BlockSeriesSet s = block.select(mint, maxt, local);
        LabelsBuilder lb = new LabelsBuilder();
        boolean sorted = true;
        Labels prev = null;
        while (s.next()) {
            lb.reset();
            s.labels().forEach(lb::set);
            external.forEach(lb::set);
            for (String r : dropped) {
                lb.delete(r);
            }
            Labels l = lb.build();
            List<AggrChunk> chunks = new ArrayList<>();
            if (!request.getSkipChunks()) {
                ChunkMetas metas = s.chunkMetas();
                for (int i = 0; i < metas.size(); i++) {
                    XorChunk c = s.chunk(i);
                    chunks.add(AggrChunk.newBuilder().setMinTime(metas.minTime(i)).setMaxTime(metas.maxTime(i))
                            .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR)
                                    .setData(ByteString.copyFrom(c.array(), c.offset(), c.length())))
                            .build());
                }
            }
            if (prev != null && prev.compareTo(l) >= 0) {
                sorted = false;
            }
            prev = l;
            out.add(new SeriesSets.Entry(l, chunks));
        }
        if (!sorted) {
            out.sort(Comparator.comparing(SeriesSets.Entry::labels));
            out = mergeEqual(out);
        }
        return SeriesSets.of(out);
    }

    /** After dropping replica labels two series may become equal; their chunks then belong together. */
    private static List<SeriesSets.Entry> mergeEqual(List<SeriesSets.Entry> in) {
        List<SeriesSets.Entry> out = new ArrayList<>(in.size());
        for (SeriesSets.Entry e : in) {
            int last = out.size() - 1;
            if (last >= 0 && out.get(last).labels().equals(e.labels())) {
                List<AggrChunk> both = new ArrayList<>(out.get(last).chunks());
                both.addAll(e.chunks());
                both.sort(Comparator.comparingLong(AggrChunk::getMinTime));
                out.set(last, new SeriesSets.Entry(e.labels(), both));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest request) {
        List<Matcher> ms = Requests.checkLabelNames(request);
        TreeSet<String> names = new TreeSet<>(io.thanosj.model.Utf8Order::compare);
        if (matchesExternal(ms) && info().overlaps(request.getStart(), request.getEnd())) {
            names.addAll(block.index().labelNames(localMatchers(ms)));
            external.forEach((k, v) -> names.add(k));
        }
        return LabelNamesResponse.newBuilder().addAllNames(names).build();
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest request) {
        List<Matcher> ms = Requests.checkLabelValues(request);
        LabelValuesResponse.Builder b = LabelValuesResponse.newBuilder();
        if (!matchesExternal(ms) || !info().overlaps(request.getStart(), request.getEnd())) {
            return b.build();
        }
        if (external.has(request.getLabel())) {
            return b.addValues(external.get(request.getLabel())).build();
        }
        return b.addAllValues(block.index().labelValues(request.getLabel(), localMatchers(ms))).build();
    }

    private boolean matchesExternal(List<Matcher> ms) {
        for (Matcher m : ms) {
            if (external.has(m.name()) && !m.matches(external.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    private List<Matcher> localMatchers(List<Matcher> ms) {
        List<Matcher> local = new ArrayList<>(ms.size());
        for (Matcher m : ms) {
            if (!external.has(m.name())) {
                local.add(m);
            }
        }
        return local;
    }

    @Override
    public StoreInfo info() {
        // Block maxTime is exclusive; StoreAPI ranges are inclusive.
        return new StoreInfo(external.isEmpty() ? List.of() : List.of(external), block.meta().minTime(),
                block.meta().maxTime() - 1, true);
    }
}
