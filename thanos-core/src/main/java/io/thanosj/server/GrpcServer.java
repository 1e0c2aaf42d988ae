package io.thanosj.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The gRPC server of a component, always with the standard health service and reflection. */
public final class GrpcServer implements AutoCloseable {
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final HealthStatusManager health = new HealthStatusManager();
    private int maxInboundMessageBytes = 64 * 1024 * 1024;
    private Server server;

    public GrpcServer addService(BindableService s) {
        services.add(s.bindService());
        return this;
    }

    public GrpcServer addService(ServerServiceDefinition s) {
        services.add(s);
        return this;
    }

    public GrpcServer maxInboundMessageBytes(int n) {
        this.maxInboundMessageBytes = n;
        return this;
    }

    HealthStatusManager health() {
        return health;
    }

    public GrpcServer start(String flag, String address) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(Addresses.parse(flag, address))
                .maxInboundMessageSize(maxInboundMessageBytes)
                .addService(health.getHealthService())
                .addService(ProtoReflectionService.newInstance());
        services.forEach(b::addService);
        try {
            server = b.build().start();
        } catch (IOException e) {
            throw HttpServer.bindError(flag, address, e.getCause() != null ? e.getCause() : e);
        }
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** Stops accepting calls, lets running ones finish within the grace period, then cancels the rest. */
    public void stop(long graceMillis) {
        if (server == null) {
            return;
        }
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(0);
    }
}
