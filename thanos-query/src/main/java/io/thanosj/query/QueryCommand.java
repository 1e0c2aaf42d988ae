package io.thanosj.query;

import io.thanosj.api.QueryApi;
import io.thanosj.model.Durations;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.EngineOptions;
import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.server.StaticFiles;
import io.thanosj.store.InfoService;
import io.thanosj.store.Limits;
import io.thanosj.store.ProxyStore;
import io.thanosj.store.StoreService;
import io.thanosj.store.endpoint.EndpointSet;
import io.thanosj.store.endpoint.EndpointSetOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code thanos query}: PromQL over every StoreAPI endpoint, HA deduplication, Prometheus's HTTP
 * API v1 and a web UI; it also serves the StoreAPI itself, so queriers can be stacked.
 */
@Command(name = "query", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Query node exposing PromQL enabled Query API with data retrieved from multiple store nodes.")
public final class QueryCommand extends ComponentCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--http-address", defaultValue = "0.0.0.0:10904", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10903",
            description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Option(names = {"--endpoint", "--store"}, paramLabel = "<endpoint>",
            description = "Addresses of statically configured Thanos API servers (repeatable). The scheme may be prefixed with 'dns+' or 'dnssrv+' to detect Thanos API servers through respective DNS lookups.")
    List<String> endpoints = new ArrayList<>();

    @Option(names = {"--endpoint.sd-files", "--store.sd-files"}, paramLabel = "<path>",
            description = "Path to files that contain addresses of endpoints (file SD, repeatable); reloaded on change.")
    List<String> sdFiles = new ArrayList<>();

    @Option(names = "--endpoint.info-timeout", defaultValue = "5s", description = "Timeout of gRPC Info requests.")
    String infoTimeout;

    @Option(names = "--store.response-timeout", defaultValue = "0ms",
            description = "If a Store doesn't send any data in this specified duration then a Store will be ignored and partial data will be returned if it's enabled. 0 disables timeout.")
    String responseTimeout;

    @Option(names = "--query.replica-label", paramLabel = "<label>",
            description = "Labels to treat as a replica indicator along which data is deduplicated (repeatable).")
    List<String> replicaLabels = new ArrayList<>();

    @Option(names = "--query.partial-response", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Enable partial response for queries if no partial_response param is specified. --no-query.partial-response for disabling.")
    boolean partialResponse;

    @Option(names = "--query.timeout", defaultValue = "2m", description = "Maximum time to process query by query node.")
    String timeout;

    @Option(names = "--query.lookback-delta", defaultValue = "5m",
            description = "The maximum lookback duration for retrieving metrics during expression evaluations.")
    String lookbackDelta;

    @Option(names = "--query.max-samples", defaultValue = "50000000",
            description = "Maximum number of samples a single query can load into memory.")
    long maxSamples;

    @Option(names = "--query.max-concurrent", defaultValue = "20", description = "Maximum number of queries processed concurrently by query node.")
    int maxConcurrent;

    @Option(names = "--query.max-concurrent-select", defaultValue = "4",
            description = "Maximum number of select requests made concurrently per a query: this many of a query's selectors are opened before it is evaluated, so their stores stream at once.")
    int maxConcurrentSelect;

    @Option(names = "--store.limits.request-series", defaultValue = "0",
            description = "The maximum series allowed for a single Series request. 0 means no limit.")
    long maxSeries;

    @Option(names = "--store.limits.request-samples", defaultValue = "0",
            description = "The maximum samples allowed for a single Series request. 0 means no limit.")
    long maxStoreSamples;

    @Override
    protected String name() {
        return "query";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) {
        if (maxConcurrent < 1) {
            throw ThanosException.badData("--query.max-concurrent must be at least 1, got " + maxConcurrent);
        }
        if (maxConcurrentSelect < 1) {
            throw ThanosException.badData("--query.max-concurrent-select must be at least 1, got " + maxConcurrentSelect);
        }
        long responseMs = Durations.parseMillis("--store.response-timeout", responseTimeout);
        EndpointSet endpointSet = new EndpointSet(EndpointSetOptions.builder()
                .endpoints(endpoints)
                .sdFiles(sdFiles)
                .infoTimeout(Duration.ofMillis(Durations.parseMillis("--endpoint.info-timeout", infoTimeout)))
                .responseTimeout(Duration.ofMillis(responseMs))
                .build());
        rt.onStop(endpointSet);
        ExecutorService fanout = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "query-fanout");
            t.setDaemon(true);
            return t;
        });
        rt.onStop(fanout::shutdownNow);
        ProxyStore proxy = new ProxyStore(endpointSet::targets, fanout, new Limits(maxSeries, maxStoreSamples));
        Engine engine = new Engine(EngineOptions.defaults()
                .withLookbackDelta(Duration.ofMillis(Durations.parseMillis("--query.lookback-delta", lookbackDelta)))
                .withMaxSamples(maxSamples)
                .withMaxConcurrentSelects(maxConcurrentSelect)
                .withTimeout(Duration.ofMillis(Durations.parseMillis("--query.timeout", timeout))));
        QueryApi api = new QueryApi(engine, proxy,
                new QueryApi.Defaults(replicaLabels, partialResponse, engine.options().timeout(), maxConcurrent),
                flagValues(), endpointSet::status);
        api.register(rt.http());
        registerUi(rt);
        rt.grpc().addInlineService(new StoreService(proxy, fanout));
        rt.grpc().addInlineService(InfoService.of("query", proxy));
        endpointSet.start();
        // The querier serves as soon as it listens; endpoints join as they are discovered.
        rt.prober().ready();
    }

    private void registerUi(ComponentRuntime rt) {
        StaticFiles ui = new StaticFiles("io/thanosj/query/ui");
        byte[] index = readIndex();
        for (String page : new String[] {"/graph", "/stores", "/flags"}) {
            rt.http().route(page, ex -> ex.respond(200, "text/html; charset=utf-8", index));
        }
        rt.http().route("/", ex -> {
            ex.setHeader("Location", "/graph");
            ex.respond(302, "text/html; charset=utf-8", "<a href=\"/graph\">Found</a>.".getBytes(StandardCharsets.UTF_8));
        });
        rt.http().prefix("/static/webjars/", new StaticFiles("META-INF/resources/webjars"));
        rt.http().prefix("/static/", ui);
    }

    private static byte[] readIndex() {
        try (var in = QueryCommand.class.getClassLoader().getResourceAsStream("io/thanosj/query/ui/index.html")) {
            if (in == null) {
                throw new IllegalStateException("query UI is missing from the jar");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("read query UI", e);
        }
    }

    /** Flag values as /api/v1/status/flags shows them: names without dashes, values as strings. */
    private Map<String, String> flagValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            if (!name.startsWith("--") || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            Object v = o.getValue();
            out.put(name.substring(2), v == null ? "" : v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v));
        }
        return out;
    }
}
