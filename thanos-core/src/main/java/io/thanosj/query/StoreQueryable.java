package io.thanosj.query;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.promql.storage.Queryable;
import io.thanosj.promql.storage.SelectHints;
import io.thanosj.promql.storage.SeriesSet;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.PartialResponseStrategy;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Dedup;
import io.thanosj.store.Requests;
import io.thanosj.store.SampleSeriesSet;
import io.thanosj.store.StoreServer;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The PromQL engine's view of a StoreAPI (usually the proxy over every endpoint): each select is
 * one streamed Series call whose chunks are decoded lazily, series by series.
 */
public final class StoreQueryable implements Queryable {
    private final StoreServer store;
    private final QueryOptions opts;

    public StoreQueryable(StoreServer store, QueryOptions opts) {
        this.store = Objects.requireNonNull(store, "store");
        this.opts = Objects.requireNonNull(opts, "opts");
    }

    /**
     * One Series call. As Thanos's querier: the aggregates asked for (used only by downsampled
     * blocks) follow the enclosing function ({@link ChunkView}), and functions that need two
     * samples in their range never read a resolution coarser than half that range.
     */
    @Override
    public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
        ChunkView view = ChunkView.of(hints.func());
        SeriesRequest.Builder req = SeriesRequest.newBuilder()
                .setMinTime(hints.start())
                .setMaxTime(hints.end())
                .addAllMatchers(Requests.toProto(matchers))
                .setMaxResolutionWindow(ChunkView.maxResolution(opts.maxResolutionMillis(), hints.range(), hints.func()))
                .addAllAggregates(view.aggregates())
                .setPartialResponseStrategy(strategy())
                .setStep(hints.step())
                .setRange(hints.range());
        if (opts.dedup() && !opts.replicaLabels().isEmpty()) {
            SeriesRequest dedupReq = Dedup.request(req.build(), opts.replicaLabels());
            return EngineSeriesSet.deduplicated(Dedup.penalty(store.series(dedupReq), hints.start(), hints.end(),
                    Dedup.isCounterFunction(hints.func()), (labels, series, run, mint, maxt) -> run(view, labels, series, run, mint, maxt)));
        }
        return EngineSeriesSet.decoded(store.series(req.build()), view);
    }

    /**
     * One replica run for deduplication: raw runs as before; a series with downsampled chunks in
     * the query's view, counters with their resets applied per run before the runs are folded (so
     * the penalty algorithm's counter adjustment compares totals, as in Thanos).
     */
    static SampleIterator run(ChunkView view, Labels labels, List<AggrChunk> series, List<AggrChunk> run, long mint, long maxt) {
        if (!ChunkSeriesIterator.hasDownsampled(series)) {
            return Dedup.RAW.decode(labels, series, run, mint, maxt);
        }
        SampleIterator it = view == ChunkView.COUNTER
                ? new CounterSeriesIterator(run, labels)
                : new ChunkSeriesIterator(run, view, labels);
        return new BoundedIterator(it, mint, maxt);
    }

    @Override
    public List<String> labelNames(long mint, long maxt, List<Matcher> matchers) {
        return store.labelNames(LabelNamesRequest.newBuilder().setStart(mint).setEnd(maxt)
                .addAllMatchers(Requests.toProto(matchers)).setPartialResponseStrategy(strategy()).build()).getNamesList();
    }

    @Override
    public List<String> labelValues(String name, long mint, long maxt, List<Matcher> matchers) {
        return store.labelValues(LabelValuesRequest.newBuilder().setLabel(name).setStart(mint).setEnd(maxt)
                .addAllMatchers(Requests.toProto(matchers)).setPartialResponseStrategy(strategy()).build()).getValuesList();
    }

    private PartialResponseStrategy strategy() {
        return opts.partialResponse() ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT;
    }

    /**
     * The engine's cursor over a store cursor: deduplicated series come decoded by the penalty
     * algorithm, others have their chunks decoded on demand. Both sources move the same way, so one
     * adapter takes the source's methods.
     */
    private static final class EngineSeriesSet implements SeriesSet {
        private final BooleanSupplier next;
        private final Supplier<Labels> labels;
        private final Supplier<SampleIterator> iterator;
        private final Supplier<List<String>> warnings;
        private final Runnable close;

        private EngineSeriesSet(BooleanSupplier next, Supplier<Labels> labels, Supplier<SampleIterator> iterator,
                Supplier<List<String>> warnings, Runnable close) {
            this.next = next;
            this.labels = labels;
            this.iterator = iterator;
            this.warnings = warnings;
            this.close = close;
        }

        static SeriesSet deduplicated(SampleSeriesSet in) {
            return new EngineSeriesSet(in::next, in::labels, in::iterator, in::warnings, in::close);
        }

        static SeriesSet decoded(io.thanosj.store.SeriesSet in, ChunkView view) {
            return new EngineSeriesSet(in::next, in::labels, () -> ChunkSeriesIterator.of(in.chunks(), view, in.labels()),
                    in::warnings, in::close);
        }

        @Override
        public boolean next() {
            return next.getAsBoolean();
        }

        @Override
        public Labels labels() {
            return labels.get();
        }

        @Override
        public SampleIterator iterator() {
            return iterator.get();
        }

        @Override
        public List<String> warnings() {
            return warnings.get();
        }

        @Override
        public void close() {
            close.run();
        }
    }
}
