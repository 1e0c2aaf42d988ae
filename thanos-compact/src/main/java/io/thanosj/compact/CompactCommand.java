package io.thanosj.compact;

import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thanos compact}: Continuously compacts blocks in an object store bucket. */
@Command(name = "compact", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Continuously compacts blocks in an object store bucket.")
public final class CompactCommand extends ComponentCommand {
    @Option(names = "--http-address", defaultValue = "0.0.0.0:10912", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @picocli.CommandLine.Mixin
    io.thanosj.server.ObjstoreFlags objstore;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Data directory in which to cache blocks and process compactions.")
    String dataDir;

    @Option(names = {"-w", "--wait"}, description = "Do not exit after all compactions have been processed and wait for new work.")
    boolean wait;

    @Override
    protected String name() {
        return "compact";
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
        rt.prober().notReady("compact is not implemented yet");
    }
}
