package io.thanosj.store.endpoint;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of an {@link EndpointSet}, checked when built. Defaults follow Thanos's querier:
 * checks every 5s with a 5s info timeout, DNS re-resolved every 30s, endpoints unhealthy for 5m
 * forgotten until discovered again.
 */
public final class EndpointSetOptions {
    final List<EndpointSpec> endpoints;
    final List<String> sdFiles;
    final Duration refreshInterval;
    final Duration dnsInterval;
    final Duration infoTimeout;
    final Duration unhealthyTimeout;
    final Duration responseTimeout;
    final Function<String, ManagedChannel> channels;
    final Resolver resolver;
    final Clock clock;

    private EndpointSetOptions(Builder b) {
        List<EndpointSpec> specs = new ArrayList<>();
        for (String e : b.endpoints) {
            specs.add(EndpointSpec.parse(e, "--endpoint"));
        }
        this.endpoints = List.copyOf(specs);
        this.sdFiles = List.copyOf(b.sdFiles);
        this.refreshInterval = positive("refresh interval", b.refreshInterval);
        this.dnsInterval = positive("DNS interval", b.dnsInterval);
        this.infoTimeout = positive("info timeout", b.infoTimeout);
        this.unhealthyTimeout = positive("unhealthy timeout", b.unhealthyTimeout);
        if (b.responseTimeout.isNegative()) {
            throw new IllegalArgumentException("response timeout must not be negative: " + b.responseTimeout);
        }
        this.responseTimeout = b.responseTimeout;
        this.channels = b.channels;
        this.resolver = b.resolver;
        this.clock = b.clock;
    }

    private static Duration positive(String what, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<String> endpoints = new ArrayList<>();
        private final List<String> sdFiles = new ArrayList<>();
        private Duration refreshInterval = Duration.ofSeconds(5);
        private Duration dnsInterval = Duration.ofSeconds(30);
        private Duration infoTimeout = Duration.ofSeconds(5);
        private Duration unhealthyTimeout = Duration.ofMinutes(5);
        private Duration responseTimeout = Duration.ZERO;
        private Function<String, ManagedChannel> channels =
                addr -> Grpc.newChannelBuilder(addr, InsecureChannelCredentials.create()).disableRetry().build();
        private Resolver resolver = Resolver.jdk();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** {@code --endpoint}: static or {@code dns+}/{@code dnssrv+}/{@code dnssrvnoa+} addresses. */
        public Builder endpoints(List<String> specs) {
            endpoints.addAll(specs);
            return this;
        }

        /** {@code --endpoint.sd-files}: file SD paths, the last element may be a glob. */
        public Builder sdFiles(List<String> files) {
            sdFiles.addAll(files);
            return this;
        }

        public Builder refreshInterval(Duration d) {
            refreshInterval = Objects.requireNonNull(d);
            return this;
        }

        public Builder dnsInterval(Duration d) {
            dnsInterval = Objects.requireNonNull(d);
            return this;
        }

        public Builder infoTimeout(Duration d) {
            infoTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder unhealthyTimeout(Duration d) {
            unhealthyTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** {@code --store.response-timeout}: bound on each series frame and label call; 0 none. */
        public Builder responseTimeout(Duration d) {
            responseTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** How to open a channel to an address (TLS, interceptors); plaintext by default. */
        public Builder channels(Function<String, ManagedChannel> f) {
            channels = Objects.requireNonNull(f);
            return this;
        }

        public Builder resolver(Resolver r) {
            resolver = Objects.requireNonNull(r);
            return this;
        }

        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        /** Throws {@link io.thanosj.model.ThanosException} (BAD_DATA) for a malformed endpoint. */
        public EndpointSetOptions build() {
            return new EndpointSetOptions(this);
        }
    }
}
