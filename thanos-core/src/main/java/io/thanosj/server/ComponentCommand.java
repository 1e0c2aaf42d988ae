package io.thanosj.server;

import io.thanosj.model.Durations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * Base of every component's subcommand, as Thanos's {@code registerX}/{@code runX} pair: the
 * subclass declares its flags (with its own default ports) and wires thanos-core objects into
 * the runtime; this class owns logging, start-up order and the exit code.
 */
public abstract class ComponentCommand implements Callable<Integer> {
    @Option(names = "--log.level", defaultValue = "info", description = "Log filtering level: debug, info, warn, error.")
    protected String logLevel;

    @Option(names = "--log.format", defaultValue = "logfmt", description = "Log format to use: logfmt, json.")
    protected String logFormat;

    @Option(names = "--grpc-grace-period", defaultValue = "2m", description = "Time to wait after an interrupt received for gRPC Server.")
    protected String grpcGracePeriod;

    /** Component name as in Thanos (sidecar, query, ...). */
    protected abstract String name();

    /** Value of this component's {@code --http-address}. */
    protected abstract String httpAddress();

    /** Value of {@code --grpc-address}, or null for components without gRPC. */
    protected String grpcAddress() {
        return null;
    }

    /**
     * Builds the component's objects and registers routes, services, loops and closers. Runs
     * before the ports are bound, so bad configuration fails before anything listens. The
     * component reports itself ready through {@code rt.prober()} when it really is.
     */
    protected abstract void wire(ComponentRuntime rt) throws Exception;

    @Override
    public final Integer call() throws Exception {
        return start().awaitTermination();
    }

    /**
     * Configures logging, wires the component and binds its ports; the caller owns the returned
     * runtime and closes it to stop the component (tests run components in-process this way).
     */
    public final ComponentRuntime start() throws Exception {
        Logging.configure(logLevel, logFormat);
        ComponentRuntime rt = new ComponentRuntime(name());
        try {
            rt.grpcGracePeriod(Durations.parseMillis("--grpc-grace-period", grpcGracePeriod));
            wire(rt);
            rt.start(httpAddress(), grpcAddress());
        } catch (Exception e) {
            rt.close();
            throw e;
        }
        return rt;
    }
}
