package io.thanosj.query;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos query}: Query node exposing PromQL enabled Query API with data retrieved from multiple store nodes. */
@Command(name = "query", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Query node exposing PromQL enabled Query API with data retrieved from multiple store nodes.")
public final class QueryCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10904", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10903", description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @Option(names = "--endpoint", description = "Addresses of statically configured Thanos API servers (repeatable).")
    java.util.List<String> endpoints;

    @Option(names = "--query.replica-label", description = "Labels to treat as a replica indicator along which data is deduplicated (repeatable).")
    java.util.List<String> replicaLabels;

    @Override
    protected String name() {
        return "query";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) {
        // Serves health and metrics only until this component's own issue lands; it never claims to be ready.
        rt.prober().notReady("query is not implemented yet");
    }
}
