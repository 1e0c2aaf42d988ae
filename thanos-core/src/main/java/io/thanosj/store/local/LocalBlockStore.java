package io.thanosj.store.local;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.AggrChunk;
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
import io.thanosj.tsdb.chunk.ChunkReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The StoreAPI over one local TSDB block, with the block's external labels added to every series
 * (as Thanos's TSDB store does for receive and rule). Chunks are passed through as stored, but
 * for those reaching outside the request's time range, which are cut to it ({@link ChunkTrimmer});
 * a proxy over several of these merges them.
 *
 * <p>Series stream from the index as they are read. Adding external labels (or dropping replica
 * labels) can break the label order of a block's series; when it does for this block, responses are
 * collected and re-sorted instead, bounded by the block.
 */
public final class LocalBlockStore implements StoreServer {
    private final Block block;
    private final Labels external;
    private final ConcurrentHashMap<List<String>, Boolean> orderKept = new ConcurrentHashMap<>();
    private final boolean cutChunks;

    public LocalBlockStore(Block block, Labels external) {
        this(block, external, true);
    }

    /**
     * @param cutChunks whether chunks mostly outside a request's range are cut to it
     *     ({@link ChunkTrimmer}); without, chunks are sent as stored, as a store gateway sends them
     */
    public LocalBlockStore(Block block, Labels external, boolean cutChunks) {
        this.block = Objects.requireNonNull(block, "block");
        this.external = Objects.requireNonNull(external, "external");
        this.cutChunks = cutChunks;
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
        BlockSeriesSet s = block.select(mint, maxt, local, relabel(external, dropped));
        BlockChunks.Columns columns = cutChunks ? new BlockChunks.Columns(mint, maxt) : new BlockChunks.Columns();
        Streamed streamed = new Streamed(s, block, request.getSkipChunks(), columns);
        if (keepsOrder(dropped)) {
            return streamed;
        }
        List<SeriesSets.Entry> out = new ArrayList<>();
        while (streamed.next()) {
            out.add(new SeriesSets.Entry(streamed.labels(), streamed.chunks()));
        }
        out.sort(Comparator.comparing(SeriesSets.Entry::labels));
        return SeriesSets.of(mergeEqual(out));
    }

    /**
     * Whether adding the external labels and dropping {@code dropped} keeps the block's series in
     * label order. Checked once over the whole block per list of dropped labels: if every series keeps
     * its place, so does any selection of them, and answers can then stream straight from the index.
     */
    private boolean keepsOrder(List<String> dropped) {
        if (external.isEmpty() && dropped.isEmpty()) {
            return true;
        }
        Boolean known = orderKept.get(dropped);
        if (known != null) {
            return known;
        }
        boolean sorted = true;
        BlockSeriesSet all = block.all();
        Consumer<LabelsBuilder> edit = relabel(external, dropped);
        LabelsBuilder lb = new LabelsBuilder();
        Labels prev = null;
        while (sorted && all.next()) {
            edit.accept(lb.reset(all.labels()));
            Labels l = lb.build();
            sorted = prev == null || prev.compareTo(l) < 0;
            prev = l;
        }
        if (orderKept.size() < 64) { // requests choose the dropped labels: bound what they can pin
            orderKept.put(List.copyOf(dropped), sorted);
        }
        return sorted;
    }

    /** Adds the external labels and drops {@code dropped}; null when that changes nothing. */
    private static Consumer<LabelsBuilder> relabel(Labels external, List<String> dropped) {
        if (external.isEmpty() && dropped.isEmpty()) {
            return null;
        }
        String[] drop = dropped.toArray(new String[0]);
        return lb -> {
            lb.setAll(external);
            for (String r : drop) {
                lb.delete(r);
            }
        };
    }

    /**
     * The block's series (labels already relabelled by the block's cursor, so each label set is
     * built once) with chunks as ranges of the block's segment files ({@link BlockChunks}), copied
     * only into the response.
     */
    private static final class Streamed implements SeriesSet {
        /**
         * Series read ahead from the index: their chunks are scattered over the segment files, and
         * loading a batch's chunks together lets the memory system fetch them in parallel (the
         * probe's heavy query spent a third of its store time waiting for each chunk's first byte).
         */
        private static final int AHEAD = 16;

        private final BlockSeriesSet s;
        private final ChunkReader reader;
        private final boolean skipChunks;
        private final BlockChunks.Columns columns;
        private final Labels[] aheadLabels = new Labels[AHEAD];
        private final BlockChunks[] aheadChunks = new BlockChunks[AHEAD];
        private int ahead;
        private int at;
        private RuntimeException failed; // from reading ahead, thrown when the reader gets there
        private boolean exhausted;
        private int sink;
        private Labels labels;
        private List<AggrChunk> chunks = List.of();

        Streamed(BlockSeriesSet s, Block block, boolean skipChunks, BlockChunks.Columns columns) {
            this.s = s;
            this.columns = columns;
            this.reader = block.chunks();
            this.skipChunks = skipChunks;
        }

        @Override
        public boolean next() {
            if (at == ahead && !fill()) {
                labels = null;
                chunks = List.of();
                return false;
            }
            labels = aheadLabels[at];
            aheadLabels[at] = null;
            if (!skipChunks) {
                BlockChunks c = aheadChunks[at];
                aheadChunks[at] = null;
                chunks = c.locate(reader, columns);
            }
            at++;
            return true;
        }

        private boolean fill() {
            if (failed != null) {
                RuntimeException e = failed;
                failed = null;
                exhausted = true;
                throw e;
            }
            at = 0;
            ahead = 0;
            if (exhausted) {
                return false;
            }
            try {
                while (ahead < AHEAD) {
                    if (!s.next()) {
                        exhausted = true;
                        break;
                    }
                    aheadLabels[ahead] = s.labels();
                    if (!skipChunks) {
                        aheadChunks[ahead] = BlockChunks.of(s, columns);
                    }
                    ahead++;
                }
            } catch (RuntimeException e) {
                failed = e;
            }
            if (!skipChunks) {
                // First bytes of all, then the rest of each chunk: independent loads overlap.
                int sum = 0;
                for (int i = 0; i < ahead; i++) {
                    sum += aheadChunks[i].touch(reader, false);
                }
                for (int i = 0; i < ahead; i++) {
                    sum += aheadChunks[i].touch(reader, true);
                }
                sink += sum;
            }
            if (ahead == 0) {
                return fill();
            }
            return true;
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
            return List.of();
        }

        @Override
        public void close() {
            labels = null;
        }
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
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public StoreInfo info() {
        // Block maxTime is exclusive; StoreAPI ranges are inclusive.
        return new StoreInfo(external.isEmpty() ? List.of() : List.of(external), block.meta().minTime(),
                block.meta().maxTime() - 1, true);
    }
}
