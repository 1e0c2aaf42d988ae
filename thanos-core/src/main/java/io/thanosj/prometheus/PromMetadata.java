package io.thanosj.prometheus;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import java.util.Objects;

/**
 * What the sidecar knows about its Prometheus, refreshed by a heartbeat: external labels, the
 * oldest timestamp it holds (raised to {@code --min-time}) and its version. Until the first
 * successful {@link #refresh()} it is not loaded and stores built on it answer
 * {@link ErrorCode#UNAVAILABLE}. Thread-safe.
 */
public final class PromMetadata {
    private final PromClient client;
    private final java.util.function.LongSupplier limitMinTime;
    private volatile State state;

    private record State(Labels labels, long minTime, String version) {}

    /** @param limitMinTime the {@code --min-time} limit in milliseconds; {@link Long#MIN_VALUE} for none */
    public PromMetadata(PromClient client, long limitMinTime) {
        this(client, () -> limitMinTime);
    }

    /** With a {@code --min-time} that moves with the clock (a duration relative to now). */
    public PromMetadata(PromClient client, java.util.function.LongSupplier limitMinTime) {
        this.client = Objects.requireNonNull(client, "client");
        this.limitMinTime = Objects.requireNonNull(limitMinTime, "limitMinTime");
    }

    public PromClient client() {
        return client;
    }

    /**
     * Fetches labels and lowest timestamp (and the version, once). Keeps the previous state when
     * Prometheus cannot be reached, and throws the reason.
     */
    public void refresh() {
        long lowest = client.lowestTimestamp();
        Labels labels = client.externalLabels();
        State s = state;
        String version = s != null && s.version != null ? s.version : tryVersion();
        state = new State(labels, Math.max(limitMinTime.getAsLong(), lowest), version);
    }

    private String tryVersion() {
        try {
            return client.version();
        } catch (ThanosException e) {
            return null; // Only informative; older servers lack buildinfo.
        }
    }

    public boolean loaded() {
        return state != null;
    }

    /** External labels; throws {@link ErrorCode#UNAVAILABLE} before the first refresh. */
    public Labels labels() {
        return require().labels;
    }

    /** Oldest timestamp served (milliseconds, at least {@code --min-time}). */
    public long minTime() {
        return require().minTime;
    }

    /** Prometheus's version, or null when unknown. */
    public String version() {
        State s = state;
        return s == null ? null : s.version;
    }

    private State require() {
        State s = state;
        if (s == null) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "prometheus at " + client.base()
                    + " has not been reached yet; its external labels are unknown");
        }
        return s;
    }
}
