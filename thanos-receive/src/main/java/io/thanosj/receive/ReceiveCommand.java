package io.thanosj.receive;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos receive}: Accept Prometheus remote write API requests and write to local tsdb. */
@Command(name = "receive", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Accept Prometheus remote write API requests and write to local tsdb.")
public final class ReceiveCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10909", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10907", description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @picocli.CommandLine.Mixin
    io.thanosj.server.ObjstoreFlags objstore;

    @Option(names = "--remote-write.address", defaultValue = "0.0.0.0:10908", description = "Address to listen on for remote write requests.")
    String remoteWriteAddress;

    @Option(names = "--tsdb.path", defaultValue = "./data", description = "Data directory of TSDB.")
    String tsdbPath;

    @Option(names = "--label", description = "External labels to announce (repeatable), e.g. replica=\"A\".")
    java.util.List<String> labels;

    @Override
    protected String name() {
        return "receive";
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
        rt.prober().notReady("receive is not implemented yet");
    }
}
