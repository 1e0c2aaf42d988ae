package io.thanosj.query;

import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.promql.storage.Queryable;
import io.thanosj.promql.storage.SelectHints;
import io.thanosj.promql.storage.SeriesSet;
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

    @Override
    public SeriesSet select(SelectHints hints, List<Matcher> matchers) {
        SeriesRequest.Builder req = SeriesRequest.newBuilder()
                .setMinTime(hints.start())
                .setMaxTime(hints.end())
                .addAllMatchers(Requests.toProto(matchers))
                .setMaxResolutionWindow(opts.maxResolutionMillis())
                .setPartialResponseStrategy(strategy())
                .setStep(hints.step())
                .setRange(hints.range());
        if (opts.dedup() && !opts.replicaLabels().isEmpty()) {
            SeriesRequest dedupReq = Dedup.request(req.build(), opts.replicaLabels());
            return new Deduplicated(Dedup.penalty(store.series(dedupReq), hints.start(), hints.end(),
                    Dedup.isCounterFunction(hints.func())));
        }
        return new Decoded(store.series(req.build()));
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

    /** Deduplicated series, already decoded by the penalty algorithm. */
    private static final class Deduplicated implements SeriesSet {
        private final SampleSeriesSet in;

        Deduplicated(SampleSeriesSet in) {
            this.in = in;
        }

        @Override
        public boolean next() {
            return in.next();
        }

        @Override
        public Labels labels() {
            return in.labels();
        }

        @Override
        public SampleIterator iterator() {
            return in.iterator();
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

    /** A store cursor seen as the engine's cursor: same series, chunks decoded on demand. */
    private static final class Decoded implements SeriesSet {
        private final io.thanosj.store.SeriesSet in;

        Decoded(io.thanosj.store.SeriesSet in) {
            this.in = in;
        }

        @Override
        public boolean next() {
            return in.next();
        }

        @Override
        public Labels labels() {
            return in.labels();
        }

        @Override
        public SampleIterator iterator() {
            return new ChunkSeriesIterator(in.chunks());
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
}
