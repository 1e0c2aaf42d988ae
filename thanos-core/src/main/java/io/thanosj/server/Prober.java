package io.thanosj.server;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Health and readiness of one component, shared by {@code /-/healthy}, {@code /-/ready} and the
 * gRPC health service. A component starts healthy and not ready, with the reason it is not
 * ready; it becomes ready only when it can really serve (bucket synced, Prometheus reachable...).
 */
public final class Prober {
    private volatile boolean healthy = true;
    private final AtomicReference<String> notReadyReason = new AtomicReference<>("starting");
    private volatile HealthStatusManager grpcHealth;

    public void attach(HealthStatusManager health) {
        this.grpcHealth = health;
        publish();
    }

    public void ready() {
        notReadyReason.set(null);
        publish();
    }

    public void notReady(String reason) {
        notReadyReason.set(reason == null ? "not ready" : reason);
        publish();
    }

    public void unhealthy() {
        healthy = false;
        publish();
    }

    public boolean isHealthy() {
        return healthy;
    }

    public boolean isReady() {
        return healthy && notReadyReason.get() == null;
    }

    /** Why the component is not ready, or null when it is. */
    public String notReadyReason() {
        return healthy ? notReadyReason.get() : "unhealthy";
    }

    private void publish() {
        HealthStatusManager h = grpcHealth;
        if (h != null) {
            h.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                    isReady() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        }
    }
}
