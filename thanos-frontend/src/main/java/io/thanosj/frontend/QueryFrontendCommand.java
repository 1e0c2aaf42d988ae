package io.thanosj.frontend;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos query-frontend}: Query frontend command implements a service deployed in front of queriers to improve query parallelization and caching. */
@Command(name = "query-frontend", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Query frontend command implements a service deployed in front of queriers to improve query parallelization and caching.")
public final class QueryFrontendCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10913", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--query-frontend.downstream-url", defaultValue = "http://localhost:9090", description = "URL of downstream Prometheus Query compatible API.")
    String downstreamUrl;

    @Override
    protected String name() {
        return "query-frontend";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) {
        // Serves health and metrics only until this component's own issue lands; it never claims to be ready.
        rt.prober().notReady("query-frontend is not implemented yet");
    }
}
