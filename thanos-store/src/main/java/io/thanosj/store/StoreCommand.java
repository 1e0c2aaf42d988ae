package io.thanosj.store;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos store}: Store node giving access to blocks in a bucket provider. */
@Command(name = "store", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Store node giving access to blocks in a bucket provider.")
public final class StoreCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10906", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10905", description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @picocli.CommandLine.Mixin
    io.thanosj.server.ObjstoreFlags objstore;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Local data directory used for caching purposes (index-header, in-mem cache items and meta.jsons).")
    String dataDir;

    @Override
    protected String name() {
        return "store";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) {
        // The bucket is opened and checked now, so bad objstore config fails at start-up. The component
        // serves health and metrics only until its own issue lands; it never claims to be ready.
        rt.onStop(objstore.bucket(rt.registry()));
        rt.prober().notReady("store is not implemented yet");
    }
}
