package io.thanosj.prometheus;

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
import io.thanosj.proto.storepb.prompb.LabelMatcher;
import io.thanosj.proto.storepb.prompb.Query;
import io.thanosj.proto.storepb.prompb.ReadRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The StoreAPI over one Prometheus (Thanos's {@code PrometheusStore}): series through remote read
 * with streamed XOR chunks passed on as they are, label names and values through the HTTP API,
 * all with the external labels added and sorted as the StoreAPI requires.
 *
 * <p>Matchers on external labels are answered here, as in Thanos: one that the external label fails
 * makes the result empty, and those that match are not sent to Prometheus (which would not find
 * the label in its own series). Requests never reach before the oldest data Prometheus holds.
 */
public final class PrometheusStore implements StoreServer {
    private static final String STREAMED_CONTENT_TYPE =
            "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    private final PromMetadata meta;
    private final PromClient client;
    private final int maxFrameBytes;

    public PrometheusStore(PromMetadata meta) {
        this(meta, ChunkedFrames.DEFAULT_MAX_FRAME);
    }

    /** @param maxFrameBytes the largest remote read frame accepted */
    public PrometheusStore(PromMetadata meta, int maxFrameBytes) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.client = meta.client();
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public SeriesSet series(SeriesRequest r) {
        List<Matcher> ms = Requests.checkSeries(r);
        Labels ext = meta.labels();
        List<Matcher> prom = forPrometheus(ms, ext);
        if (prom == null) {
            return SeriesSet.empty();
        }
        if (prom.isEmpty()) {
            throw ThanosException.badData("no matchers specified (excluding external labels)");
        }
        long mint = Math.max(r.getMinTime(), meta.minTime());
        long maxt = r.getMaxTime();
        if (mint > maxt) {
            return SeriesSet.empty();
        }
        ExternalLabels el = new ExternalLabels(ext, r.getWithoutReplicaLabelsList());
        SeriesSet raw = r.getSkipChunks()
                ? new SeriesApiSeriesSet(client.seriesStream(prom, mint, maxt), client.url("/api/v1/series").toString())
                : remoteRead(prom, mint, maxt);
        return new ResortingSeriesSet(raw, el, r.getLimit());
    }

    private SeriesSet remoteRead(List<Matcher> ms, long mint, long maxt) {
        Query.Builder q = Query.newBuilder().setStartTimestampMs(mint).setEndTimestampMs(maxt);
        for (Matcher m : ms) {
            LabelMatcher.Type t = switch (m.type()) {
                case EQUAL -> LabelMatcher.Type.EQ;
                case NOT_EQUAL -> LabelMatcher.Type.NEQ;
                case REGEX -> LabelMatcher.Type.RE;
                case NOT_REGEX -> LabelMatcher.Type.NRE;
            };
            q.addMatchers(LabelMatcher.newBuilder().setType(t).setName(m.name()).setValue(m.value()));
        }
        ReadRequest req = ReadRequest.newBuilder().addQueries(q)
                .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)
                .build();
        HttpResponse<InputStream> resp = client.remoteRead(req);
        String url = resp.uri().toString();
        String ct = resp.headers().firstValue("Content-Type").orElse("");
        if (!ct.startsWith(STREAMED_CONTENT_TYPE)) {
            try {
                resp.body().close();
            } catch (IOException ignored) {
                // Nothing to read from it anyway.
            }
            throw new ThanosException(ErrorCode.INTERNAL, "remote read from prometheus " + url
                    + ": unsupported response content type \"" + ct
                    + "\"; streamed XOR chunks need Prometheus 2.13 or newer");
        }
        return new RemoteReadSeriesSet(resp.body(), maxFrameBytes, url);
    }

    /**
     * Thanos's {@code matchesExternalLabels}: null when a matcher rules out this Prometheus's
     * external labels, else the matchers left for Prometheus (those on other labels).
     */
    static List<Matcher> forPrometheus(List<Matcher> ms, Labels ext) {
        List<Matcher> out = new ArrayList<>(ms.size());
        for (Matcher m : ms) {
            String v = ext.get(m.name());
            if (v.isEmpty()) {
                out.add(m);
            } else if (!m.matches(v)) {
                return null;
            }
        }
        return out;
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest r) {
        List<Matcher> ms = Requests.checkLabelNames(r);
        Labels ext = meta.labels();
        List<Matcher> prom = forPrometheus(ms, ext);
        if (prom == null) {
            return LabelNamesResponse.getDefaultInstance();
        }
        List<String> names = client.labelNames(prom, r.getStart(), r.getEnd());
        if (names.isEmpty()) {
            return LabelNamesResponse.getDefaultInstance();
        }
        TreeSet<String> all = new TreeSet<>(Utf8Order::compare);
        all.addAll(names);
        for (int i = 0; i < ext.size(); i++) {
            if (!r.getWithoutReplicaLabelsList().contains(ext.name(i))) {
                all.add(ext.name(i));
            }
        }
        return LabelNamesResponse.newBuilder().addAllNames(limit(all, r.getLimit())).build();
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest r) {
        List<Matcher> ms = Requests.checkLabelValues(r);
        if (r.getWithoutReplicaLabelsList().contains(r.getLabel())) {
            return LabelValuesResponse.getDefaultInstance();
        }
        Labels ext = meta.labels();
        List<Matcher> prom = forPrometheus(ms, ext);
        if (prom == null) {
            return LabelValuesResponse.getDefaultInstance();
        }
        String extValue = ext.get(r.getLabel());
        if (!extValue.isEmpty()) {
            // The external label has one value, present exactly when some series match.
            if (prom.isEmpty() || hasSeries(prom, r.getStart(), r.getEnd())) {
                return LabelValuesResponse.newBuilder().addValues(extValue).build();
            }
            return LabelValuesResponse.getDefaultInstance();
        }
        TreeSet<String> vals = new TreeSet<>(Utf8Order::compare);
        vals.addAll(client.labelValues(r.getLabel(), prom, r.getStart(), r.getEnd()));
        return LabelValuesResponse.newBuilder().addAllValues(limit(vals, r.getLimit())).build();
    }

    private boolean hasSeries(List<Matcher> prom, long start, long end) {
        try (SeriesSet s = new SeriesApiSeriesSet(client.seriesStream(prom, start, end),
                client.url("/api/v1/series").toString())) {
            return s.next();
        }
    }

    private static List<String> limit(TreeSet<String> sorted, long limit) {
        List<String> out = new ArrayList<>(limit > 0 ? (int) Math.min(limit, sorted.size()) : sorted.size());
        for (String s : sorted) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * External labels and the time range Prometheus holds, from oldest sample (or
     * {@code --min-time}) to the end of time since it keeps ingesting.
     */
    @Override
    public StoreInfo info() {
        Labels ext = meta.labels();
        return new StoreInfo(ext.isEmpty() ? List.of() : List.of(ext), meta.minTime(), Long.MAX_VALUE, true);
    }
}
