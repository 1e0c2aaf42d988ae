package io.thanosj.rule;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos rule}: Ruler evaluating Prometheus rules against given Query nodes, exposing Store API and storing old blocks in bucket. */
@Command(name = "rule", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Ruler evaluating Prometheus rules against given Query nodes, exposing Store API and storing old blocks in bucket.")
public final class RuleCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10911", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10910", description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @picocli.CommandLine.Mixin
    io.thanosj.server.ObjstoreFlags objstore;

    @Option(names = "--rule-file", description = "Rule files that should be used by rule manager (repeatable).")
    java.util.List<String> ruleFiles;

    @Option(names = "--query", description = "Addresses of statically configured query API servers (repeatable).")
    java.util.List<String> queries;

    @Option(names = "--alertmanagers.url", description = "Alertmanager replica URLs to push firing alerts (repeatable).")
    java.util.List<String> alertmanagers;

    @Override
    protected String name() {
        return "rule";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) {
        // A configured bucket is opened and checked now, so bad objstore config fails at start-up. The
        // component serves health and metrics only until its own issue lands; it never claims to be ready.
        if (objstore.isSet()) {
            rt.onStop(objstore.bucket(rt.registry()));
        }
        rt.prober().notReady("rule is not implemented yet");
    }
}
