package io.thanosj.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.EngineOptions;
import io.thanosj.promql.engine.Query;
import io.thanosj.promql.engine.QueryResult;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.PromQLParser;
import io.thanosj.promql.parser.VectorSelector;
import io.thanosj.proto.storepb.PartialResponseStrategy;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.query.QueryOptions;
import io.thanosj.query.StoreQueryable;
import io.thanosj.server.HttpExchange;
import io.thanosj.server.HttpServer;
import io.thanosj.server.Version;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.StoreServer;
import io.thanosj.store.endpoint.EndpointStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prometheus's HTTP API v1 over a StoreAPI, with Thanos's extra parameters ({@code dedup},
 * {@code replicaLabels[]}, {@code partial_response}, {@code max_source_resolution}). Endpoints that
 * have no source yet ({@code metadata}, {@code query_exemplars}, {@code rules}, {@code alerts})
 * answer validly and empty, so Grafana's data source test and editor work.
 */
public final class QueryApi {
    private final Engine engine;
    private final StoreServer store;
    private final Defaults defaults;
    private final Map<String, String> flags;
    private final Supplier<List<EndpointStatus>> endpoints;
    /** Query slots ({@code --query.max-concurrent}); fair, so queries are served in arrival order. */
    private final Semaphore gate;

    /**
     * Flag-level defaults of the query component.
     *
     * @param replicaLabels   {@code --query.replica-label}
     * @param partialResponse {@code --query.partial-response}
     * @param timeout         {@code --query.timeout}
     * @param maxConcurrent   {@code --query.max-concurrent}: queries evaluated at once; more wait in
     *                        line, each at most its timeout
     */
    public record Defaults(List<String> replicaLabels, boolean partialResponse, Duration timeout, int maxConcurrent) {
        public Defaults {
            replicaLabels = List.copyOf(replicaLabels);
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("max concurrent queries must be at least 1: " + maxConcurrent);
            }
        }

        /** No bound on concurrent queries. */
        public Defaults(List<String> replicaLabels, boolean partialResponse, Duration timeout) {
            this(replicaLabels, partialResponse, timeout, Integer.MAX_VALUE);
        }
    }

    public QueryApi(Engine engine, StoreServer store, Defaults defaults, Map<String, String> flags,
            Supplier<List<EndpointStatus>> endpoints) {
        this.gate = new Semaphore(defaults.maxConcurrent(), true);
        this.engine = engine;
        this.store = store;
        this.defaults = defaults;
        this.flags = Map.copyOf(flags);
        this.endpoints = endpoints;
    }

    public void register(HttpServer.Builder http) {
        http.route("/api/v1/query", ApiResponses.handler(this::query));
        http.route("/api/v1/query_range", ApiResponses.handler(this::queryRange));
        http.route("/api/v1/series", ApiResponses.handler(this::series));
        http.route("/api/v1/labels", ApiResponses.handler(this::labels));
        http.prefix("/api/v1/label/", ApiResponses.handler(this::labelValues));
        http.route("/api/v1/status/buildinfo", ApiResponses.handler(this::buildInfo));
        http.route("/api/v1/status/flags", ApiResponses.handler(ex -> ApiResponses.success(ex, null, g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(flags).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        })));
        http.route("/api/v1/metadata", ApiResponses.handler(ex -> ApiResponses.success(ex, null, g -> {
            g.writeStartObject();
            g.writeEndObject();
        })));
        http.route("/api/v1/query_exemplars", ApiResponses.handler(ex -> ApiResponses.success(ex, null, g -> {
            g.writeStartArray();
            g.writeEndArray();
        })));
        http.route("/api/v1/rules", ApiResponses.handler(ex -> ApiResponses.success(ex, null, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("groups");
            g.writeEndArray();
            g.writeEndObject();
        })));
        http.route("/api/v1/alerts", ApiResponses.handler(ex -> ApiResponses.success(ex, null, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("alerts");
            g.writeEndArray();
            g.writeEndObject();
        })));
        http.route("/api/v1/stores", ApiResponses.handler(this::stores));
    }

    private void query(HttpExchange ex) throws IOException {
        String q = required(ex, "query");
        long time = ApiParams.time("time", ex.param("time"), System.currentTimeMillis());
        Engine e = engineFor(ex);
        Query query = parseQuery(() -> e.instantQuery(new StoreQueryable(store, options(ex, 0)), q, time));
        run(e, ex, query);
    }

    /**
     * Evaluates once a query slot is free, as Prometheus's query queue does: the wait counts
     * against the query's timeout and ends it with Prometheus's error when the slot comes too late.
     */
    private void run(Engine e, HttpExchange ex, Query query) throws IOException {
        long waitMs = e.options().timeout().toMillis();
        try {
            if (!gate.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                throw new ThanosException(ErrorCode.TIMEOUT, "query timed out in query queue");
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ThanosException(ErrorCode.CANCELED, "query was canceled in query queue");
        }
        QueryResult r;
        try {
            r = query.execute();
        } finally {
            gate.release();
        }
        respond(ex, r);
    }

    private void queryRange(HttpExchange ex) throws IOException {
        String q = required(ex, "query");
        long start = ApiParams.time("start", required(ex, "start"), 0);
        long end = ApiParams.time("end", required(ex, "end"), 0);
        long step = ApiParams.duration("step", required(ex, "step"));
        ApiParams.checkRange(start, end, step);
        Engine e = engineFor(ex);
        Query query = parseQuery(() -> e.rangeQuery(new StoreQueryable(store, options(ex, step)), q, start, end, step));
        run(e, ex, query);
    }

    /** Parse errors become {@code invalid parameter "query": ...}, as in Prometheus. */
    private static Query parseQuery(Supplier<Query> parse) {
        try {
            return parse.get();
        } catch (ThanosException e) {
            if (e.code() == ErrorCode.BAD_DATA) {
                throw new ThanosException(ErrorCode.BAD_DATA, "invalid parameter \"query\": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private Engine engineFor(HttpExchange ex) {
        String timeout = ex.param("timeout");
        EngineOptions base = engine.options();
        long ms = timeout == null || timeout.isEmpty() ? defaults.timeout().toMillis() : ApiParams.duration("timeout", timeout);
        if (ms <= 0) {
            throw ThanosException.badData("invalid parameter \"timeout\": timeout must be positive");
        }
        long capped = Math.min(ms, defaults.timeout().toMillis());
        if (capped == base.timeout().toMillis()) {
            return engine;
        }
        return new Engine(base.withTimeout(Duration.ofMillis(capped)));
    }

    private QueryOptions options(HttpExchange ex, long step) {
        boolean dedup = bool(ex, "dedup", true);
        List<String> replicas = ex.params("replicaLabels[]").isEmpty() ? defaults.replicaLabels() : ex.params("replicaLabels[]");
        boolean partial = bool(ex, "partial_response", defaults.partialResponse());
        long maxRes = 0;
        String res = ex.param("max_source_resolution");
        if (res != null && !res.isEmpty()) {
            maxRes = res.equals("auto") ? Math.max(step / 5, 0) : ApiParams.duration("max_source_resolution", res);
            if (maxRes < 0) {
                throw ThanosException.badData("invalid parameter \"max_source_resolution\": negative duration");
            }
        }
        return new QueryOptions(dedup, replicas, partial, maxRes);
    }

    private static boolean bool(HttpExchange ex, String name, boolean dflt) {
        String v = ex.param(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return switch (v.toLowerCase()) {
            case "true", "1", "t" -> true;
            case "false", "0", "f" -> false;
            default -> throw ThanosException.badData("invalid parameter \"" + name + "\": cannot parse \"" + v + "\" as a boolean");
        };
    }

    private static String required(HttpExchange ex, String name) {
        String v = ex.param(name);
        if (v == null) {
            throw ThanosException.badData("invalid parameter \"" + name + "\": missing");
        }
        return v;
    }

    private static void respond(HttpExchange ex, QueryResult r) throws IOException {
        ApiResponses.success(ex, r.warnings(), g -> {
            g.writeStartObject();
            g.writeStringField("resultType", r.type().apiName());
            g.writeFieldName("result");
            if (r instanceof QueryResult.Scalar s) {
                PromJson.writeScalar(g, s.t(), s.v());
            } else if (r instanceof QueryResult.Str s) {
                pair(g, s.t(), s.v());
            } else if (r instanceof QueryResult.Vector v) {
                g.writeStartArray();
                for (int i = 0; i < v.size(); i++) {
                    g.writeStartObject();
                    g.writeFieldName("metric");
                    writeLabels(g, v.labels().get(i));
                    g.writeFieldName("value");
                    PromJson.writePoint(g, v.t(), v.values()[i]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else if (r instanceof QueryResult.Matrix m) {
                g.writeStartArray();
                for (int i = 0; i < m.size(); i++) {
                    g.writeStartObject();
                    g.writeFieldName("metric");
                    writeLabels(g, m.labels().get(i));
                    g.writeArrayFieldStart("values");
                    long[] ts = m.ts().get(i);
                    double[] vs = m.vs().get(i);
                    for (int j = 0; j < ts.length; j++) {
                        PromJson.writePoint(g, ts[j], vs[j]);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void pair(JsonGenerator g, long t, String v) throws IOException {
        g.writeStartArray();
        PromJson.writeTimestamp(g, t);
        g.writeString(v);
        g.writeEndArray();
    }

    static void writeLabels(JsonGenerator g, Labels l) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < l.size(); i++) {
            g.writeStringField(l.name(i), l.value(i));
        }
        g.writeEndObject();
    }

    /** {@code match[]} selectors parsed as PromQL vector selectors. */
    private static List<List<Matcher>> matchSelectors(HttpExchange ex, boolean required) {
        List<String> raw = ex.params("match[]");
        if (raw.isEmpty() && required) {
            throw ThanosException.badData("no match[] parameter provided");
        }
        List<List<Matcher>> out = new ArrayList<>(raw.size());
        for (String s : raw) {
            Expr e;
            try {
                e = PromQLParser.parse(s);
            } catch (ThanosException err) {
                throw ThanosException.badData("invalid parameter \"match[]\": " + err.getMessage());
            }
            if (!(e instanceof VectorSelector vs)) {
                throw ThanosException.badData("invalid parameter \"match[]\": 1:1: parse error: expected a vector selector, got " + s);
            }
            out.add(vs.matchers());
        }
        return out;
    }

    private void series(HttpExchange ex) throws IOException {
        List<List<Matcher>> selectors = matchSelectors(ex, true);
        long start = ApiParams.time("start", ex.param("start"), ApiParams.MIN_TIME);
        long end = ApiParams.time("end", ex.param("end"), ApiParams.MAX_TIME);
        QueryOptions o = options(ex, 0);
        TreeSet<Labels> all = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        for (List<Matcher> ms : selectors) {
            SeriesRequest.Builder req = SeriesRequest.newBuilder().setMinTime(start).setMaxTime(end)
                    .addAllMatchers(Requests.toProto(ms)).setSkipChunks(true)
                    .setPartialResponseStrategy(o.partialResponse() ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT);
            if (o.dedup()) {
                req.addAllWithoutReplicaLabels(o.replicaLabels());
            }
            try (SeriesSet set = store.series(req.build())) {
                while (set.next()) {
                    Labels l = set.labels();
                    all.add(o.dedup() && !o.replicaLabels().isEmpty() ? l.without(o.replicaLabels().toArray(new String[0])) : l);
                }
                warnings.addAll(set.warnings());
            }
        }
        ApiResponses.success(ex, warnings, g -> {
            g.writeStartArray();
            for (Labels l : all) {
                writeLabels(g, l);
            }
            g.writeEndArray();
        });
    }

    private void labels(HttpExchange ex) throws IOException {
        long start = ApiParams.time("start", ex.param("start"), ApiParams.MIN_TIME);
        long end = ApiParams.time("end", ex.param("end"), ApiParams.MAX_TIME);
        StoreQueryable q = new StoreQueryable(store, options(ex, 0));
        TreeSet<String> names = new TreeSet<>(io.thanosj.model.Utf8Order::compare);
        List<List<Matcher>> selectors = matchSelectors(ex, false);
        if (selectors.isEmpty()) {
            names.addAll(q.labelNames(start, end, List.of()));
        }
        for (List<Matcher> ms : selectors) {
            names.addAll(q.labelNames(start, end, ms));
        }
        writeStrings(ex, names);
    }

    private void labelValues(HttpExchange ex) throws IOException {
        String rest = ex.remainder();
        if (!rest.endsWith("/values") || rest.indexOf('/') != rest.length() - "/values".length()) {
            ApiResponses.error(ex, ErrorCode.NOT_FOUND, "not found");
            return;
        }
        String name = rest.substring(0, rest.length() - "/values".length());
        if (!PromQLParser.isValidLabelName(name)) {
            throw ThanosException.badData("invalid label name: \"" + name + "\"");
        }
        long start = ApiParams.time("start", ex.param("start"), ApiParams.MIN_TIME);
        long end = ApiParams.time("end", ex.param("end"), ApiParams.MAX_TIME);
        StoreQueryable q = new StoreQueryable(store, options(ex, 0));
        TreeSet<String> values = new TreeSet<>(io.thanosj.model.Utf8Order::compare);
        List<List<Matcher>> selectors = matchSelectors(ex, false);
        if (selectors.isEmpty()) {
            values.addAll(q.labelValues(name, start, end, List.of()));
        }
        for (List<Matcher> ms : selectors) {
            values.addAll(q.labelValues(name, start, end, ms));
        }
        writeStrings(ex, values);
    }

    private static void writeStrings(HttpExchange ex, java.util.Collection<String> values) throws IOException {
        ApiResponses.success(ex, null, g -> {
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        });
    }

    private void buildInfo(HttpExchange ex) throws IOException {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", Version.VERSION);
        info.put("revision", Version.REVISION);
        info.put("branch", "main");
        info.put("buildUser", "thanosj");
        info.put("buildDate", "");
        info.put("goVersion", "java" + System.getProperty("java.version"));
        ApiResponses.success(ex, null, g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : info.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    private void stores(HttpExchange ex) throws IOException {
        Map<String, List<EndpointStatus>> byType = new java.util.TreeMap<>();
        for (EndpointStatus s : endpoints.get()) {
            // Endpoints never reached have no type yet; Thanos lists them under "unknown".
            String type = s.componentType() == null || s.componentType().isEmpty() ? "unknown" : s.componentType();
            byType.computeIfAbsent(type, k -> new ArrayList<>()).add(s);
        }
        ApiResponses.success(ex, null, g -> {
            g.writeStartObject();
            for (Map.Entry<String, List<EndpointStatus>> e : byType.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (EndpointStatus s : e.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("name", s.name());
                    g.writeStringField("lastCheck", s.lastCheck() == null ? "0001-01-01T00:00:00Z" : s.lastCheck().toString());
                    if (s.lastError() == null) {
                        g.writeNullField("lastError");
                    } else {
                        g.writeStringField("lastError", s.lastError());
                    }
                    g.writeArrayFieldStart("labelSets");
                    for (Labels l : s.labelSets()) {
                        writeLabels(g, l);
                    }
                    g.writeEndArray();
                    g.writeNumberField("minTime", s.minTime());
                    g.writeNumberField("maxTime", s.maxTime());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }
}
