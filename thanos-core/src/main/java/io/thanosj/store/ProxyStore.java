package io.thanosj.store;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Fans a request out to every store whose time range and external labels can match it, and
 * merges the answers: series k-way through a loser tree (streaming, one series per store in
 * memory), label names and values as sorted unions. Under partial response WARN a failing store
 * becomes a warning; under ABORT it fails the request. Limits apply to the merged stream; per
 * store timeouts are those of the store clients ({@link GrpcStoreClient}).
 */
public final class ProxyStore implements StoreServer {
    private final Supplier<? extends List<StoreTarget>> targets;
    private final Executor executor;
    private final Limits limits;

    /**
     * @param targets  the stores to fan out to, asked afresh for every request (endpoints come and go)
     * @param executor runs label calls to the stores in parallel
     */
    public ProxyStore(Supplier<? extends List<StoreTarget>> targets, Executor executor, Limits limits) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public SeriesSet series(SeriesRequest request) {
        List<Matcher> matchers = Requests.checkSeries(request);
        if (matchers.isEmpty()) {
            throw ThanosException.badData("invalid series request: no matchers specified");
        }
        boolean abort = Requests.abortOnPartial(request);
        List<StoreTarget> all = targets.get();
        if (all.isEmpty() && abort) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "select series: no StoreAPIs available");
        }
        List<String> replicaLabels = request.getWithoutReplicaLabelsList();
        List<SeriesSet> streams = new ArrayList<>();
        List<String> openWarnings = new ArrayList<>();
        try {
            for (StoreTarget t : all) {
                if (!t.info().overlaps(request.getMinTime(), request.getMaxTime())
                        || !Requests.labelSetsMatch(matchers, t.info().labelSets())) {
                    continue;
                }
                SeriesSet s;
                try {
                    s = t.store().series(request);
                } catch (RuntimeException e) {
                    ThanosException te = GrpcErrors.toException(e, "fetch series from " + t.name());
                    if (abort) {
                        throw te;
                    }
                    openWarnings.add(te.getMessage());
                    continue;
                }
                streams.add(endpointStream(t, s, abort, replicaLabels));
            }
        } catch (RuntimeException e) {
            closeQuietly(streams);
            throw e;
        }
        if (!openWarnings.isEmpty()) {
            streams.add(SeriesSets.of(List.of(), openWarnings));
        }
        return limits.limit(new MergedSeriesSet(streams, request.getLimit()));
    }

    private SeriesSet endpointStream(StoreTarget t, SeriesSet s, boolean abort, List<String> replicaLabels) {
        if (replicaLabels.isEmpty() || t.info().supportsWithoutReplicaLabels()) {
            return new EndpointSeriesSet(t.name(), s, abort, List.of(), true);
        }
        // The store leaves replica labels in; removing them keeps its order only when they are
        // constant over its series, i.e. external labels of its single label set.
        List<Labels> sets = t.info().labelSets();
        boolean constant = sets.size() == 1;
        for (String l : replicaLabels) {
            constant &= sets.size() == 1 && sets.get(0).has(l);
        }
        if (constant) {
            return new EndpointSeriesSet(t.name(), s, abort, replicaLabels, true);
        }
        return new SortedSeriesSet(new EndpointSeriesSet(t.name(), s, abort, replicaLabels, false), limits.maxSeries());
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest request) {
        List<Matcher> matchers = Requests.checkLabelNames(request);
        Fanout<LabelNamesResponse> f = fanout(matchers, request.getStart(), request.getEnd(),
                Requests.abortOnPartial(request), "fetch label names from ", t -> t.store().labelNames(request));
        TreeSet<String> names = new TreeSet<>(Utf8Order::compare);
        for (LabelNamesResponse r : f.responses) {
            names.addAll(r.getNamesList());
            f.warnings.addAll(r.getWarningsList());
        }
        // Stores that ignore without_replica_labels still report the replica labels.
        request.getWithoutReplicaLabelsList().forEach(names::remove);
        return LabelNamesResponse.newBuilder()
                .addAllNames(limited(names, request.getLimit()))
                .addAllWarnings(f.warnings)
                .build();
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest request) {
        List<Matcher> matchers = Requests.checkLabelValues(request);
        if (request.getWithoutReplicaLabelsList().contains(request.getLabel())) {
            return LabelValuesResponse.getDefaultInstance(); // as Thanos's stores answer
        }
        Fanout<LabelValuesResponse> f = fanout(matchers, request.getStart(), request.getEnd(),
                Requests.abortOnPartial(request), "fetch label values from ", t -> t.store().labelValues(request));
        TreeSet<String> values = new TreeSet<>(Utf8Order::compare);
        for (LabelValuesResponse r : f.responses) {
            values.addAll(r.getValuesList());
            f.warnings.addAll(r.getWarningsList());
        }
        return LabelValuesResponse.newBuilder()
                .addAllValues(limited(values, request.getLimit()))
                .addAllWarnings(f.warnings)
                .build();
    }

    private static List<String> limited(Set<String> sorted, long limit) {
        List<String> out = new ArrayList<>(sorted);
        return limit > 0 && out.size() > limit ? out.subList(0, (int) limit) : out;
    }

    private record Fanout<R>(List<R> responses, Set<String> warnings) {}

    /**
     * Calls every matching store in parallel. Label requests with start = end = 0 (proto defaults)
     * mean all time, since an API caller that sets neither wants everything.
     */
    private <R> Fanout<R> fanout(List<Matcher> matchers, long start, long end, boolean abort, String attempted,
            Function<StoreTarget, R> call) {
        boolean allTime = start == 0 && end == 0;
        List<StoreTarget> matching = new ArrayList<>();
        for (StoreTarget t : targets.get()) {
            if ((allTime || t.info().overlaps(start, end)) && Requests.labelSetsMatch(matchers, t.info().labelSets())) {
                matching.add(t);
            }
        }
        List<CompletableFuture<R>> futures = new ArrayList<>(matching.size());
        for (StoreTarget t : matching) {
            futures.add(CompletableFuture.supplyAsync(() -> call.apply(t), executor));
        }
        List<R> responses = new ArrayList<>(matching.size());
        Set<String> warnings = new LinkedHashSet<>();
        for (int i = 0; i < futures.size(); i++) {
            StoreTarget t = matching.get(i);
            try {
                responses.add(futures.get(i).join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                ThanosException te = cause instanceof ThanosException x && x.getMessage().contains(t.name())
                        ? x : GrpcErrors.toException(cause, attempted + t.name());
                if (abort) {
                    futures.forEach(x -> x.cancel(true));
                    throw te;
                }
                warnings.add(te.getMessage());
            }
        }
        return new Fanout<>(responses, warnings);
    }

    /** Union of the stores' label sets and time ranges; the proxy removes replica labels itself. */
    @Override
    public StoreInfo info() {
        List<StoreTarget> all = targets.get();
        if (all.isEmpty()) {
            return StoreInfo.NO_DATA;
        }
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        LinkedHashSet<Labels> sets = new LinkedHashSet<>();
        for (StoreTarget t : all) {
            min = Math.min(min, t.info().minTime());
            max = Math.max(max, t.info().maxTime());
            sets.addAll(t.info().labelSets());
        }
        return new StoreInfo(new ArrayList<>(sets), min, max, true);
    }

    private static void closeQuietly(List<SeriesSet> sets) {
        for (SeriesSet s : sets) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // Already failing; the first error is the one to report.
            }
        }
    }
}
