package io.thanosj.sidecar;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos sidecar}: Sidecar for Prometheus server: StoreAPI over Prometheus and block upload to object storage. */
@Command(name = "sidecar", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Sidecar for Prometheus server: StoreAPI over Prometheus and block upload to object storage.")
public final class SidecarCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10902", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10901", description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @picocli.CommandLine.Mixin
    io.thanosj.server.ObjstoreFlags objstore;

    @Option(names = "--prometheus.url", defaultValue = "http://localhost:9090", description = "URL at which to reach Prometheus's API.")
    String prometheusUrl;

    @Option(names = "--tsdb.path", defaultValue = "./data", description = "Data directory of TSDB.")
    String tsdbPath;

    @Override
    protected String name() {
        return "sidecar";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) {
        // Serves health and metrics only until this component's own issue lands; it never claims to be ready.
        rt.prober().notReady("sidecar is not implemented yet");
    }
}
