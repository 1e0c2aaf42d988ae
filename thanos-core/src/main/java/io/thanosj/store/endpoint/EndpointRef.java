package io.thanosj.store.endpoint;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.thanosj.proto.infopb.InfoResponse;
import io.thanosj.store.GrpcStoreClient;
import io.thanosj.store.ProtoLabels;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One endpoint's channel, client and last check. Thread-safe: checks and reads may overlap. */
final class EndpointRef {
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);

    private final String address;
    private final ManagedChannel channel;
    private final GrpcStoreClient client;
    private final Instant created;

    private Instant lastCheck;      // last successful check
    private String lastError;       // of the last check, null if it succeeded
    private InfoResponse info;      // from the last successful check
    private StoreTarget target;     // null unless healthy with a StoreAPI

    EndpointRef(String address, ManagedChannel channel, Duration responseTimeout, Instant created) {
        this.address = address;
        this.channel = channel;
        this.client = new GrpcStoreClient(channel, address, responseTimeout);
        this.created = created;
    }

    String address() {
        return address;
    }

    /** Calls Info; on failure the endpoint stops being a target until a later check succeeds. */
    void check(Duration timeout, Instant now) {
        boolean wasDown;
        synchronized (this) {
            wasDown = lastError != null;
        }
        if (wasDown) {
            awaitReconnect(timeout);
        }
        try {
            InfoResponse r = client.rawInfo(timeout);
            StoreTarget t = r.hasStore() ? new StoreTarget(address, client, storeInfo(r)) : null;
            synchronized (this) {
                info = r;
                target = t;
                lastCheck = now;
                lastError = null;
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                lastError = e.getMessage();
                target = null;
            }
        }
    }

    /**
     * Starts a reconnect now and waits for its outcome. Otherwise a restarted endpoint would get
     * fail-fast errors for the rest of the channel's reconnect backoff (up to 2m); waiting for the
     * attempt rather than using wait-for-ready keeps checks of a still-down endpoint quick. The
     * wait is capped at {@link #RECONNECT_WAIT}: pick-first keeps reporting TRANSIENT_FAILURE
     * while it retries, so a failed attempt shows no state change and would wait out the timeout.
     */
    private void awaitReconnect(Duration timeout) {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), RECONNECT_WAIT.toNanos());
        channel.resetConnectBackoff();
        ConnectivityState s = channel.getState(true);
        if (s == ConnectivityState.TRANSIENT_FAILURE) {
            s = awaitChange(s, deadline); // the reset's attempt begins
        }
        while ((s == ConnectivityState.CONNECTING || s == ConnectivityState.IDLE) && System.nanoTime() < deadline) {
            s = awaitChange(s, deadline);
        }
    }

    private ConnectivityState awaitChange(ConnectivityState from, long deadline) {
        CountDownLatch changed = new CountDownLatch(1);
        channel.notifyWhenStateChanged(from, changed::countDown);
        try {
            changed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return channel.getState(false);
    }

    private static StoreInfo storeInfo(InfoResponse r) {
        io.thanosj.proto.infopb.StoreInfo s = r.getStore();
        return new StoreInfo(ProtoLabels.fromLabelSets(r.getLabelSetsList()), s.getMinTime(), s.getMaxTime(),
                s.getSupportsWithoutReplicaLabels());
    }

    synchronized StoreTarget target() {
        return target;
    }

    /** Unhealthy, and no successful check within {@code timeout} (counting from creation). */
    synchronized boolean timedOut(Instant now, Duration timeout) {
        if (lastError == null) {
            return false;
        }
        Instant since = lastCheck == null ? created : lastCheck;
        return !now.isBefore(since.plus(timeout));
    }

    synchronized EndpointStatus status() {
        if (info == null) {
            return new EndpointStatus(address, "", List.of(), Long.MIN_VALUE, Long.MAX_VALUE, lastCheck, lastError);
        }
        long min = info.hasStore() ? info.getStore().getMinTime() : Long.MIN_VALUE;
        long max = info.hasStore() ? info.getStore().getMaxTime() : Long.MAX_VALUE;
        return new EndpointStatus(address, info.getComponentType(), ProtoLabels.fromLabelSets(info.getLabelSetsList()),
                min, max, lastCheck, lastError);
    }

    void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
