package io.thanosj.store.endpoint;

import io.thanosj.model.ThanosException;
import io.thanosj.store.StoreTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StoreAPI endpoints a querier uses, kept current: each {@link #update()} resolves the
 * configured addresses (static, file SD, DNS), calls Info on every endpoint in parallel, and
 * publishes the healthy ones with a StoreAPI as {@link #targets()} for the
 * {@link io.thanosj.store.ProxyStore}. An endpoint whose check fails stops being a target at once
 * and comes back with its next good check; one unhealthy for the unhealthy timeout, or no longer
 * discovered, is closed and forgotten (as Thanos's EndpointSet does).
 */
public final class EndpointSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSet.class);

    private final EndpointSetOptions opts;
    private final FileSd fileSd;
    private final ExecutorService checkers;
    private final Object updateLock = new Object();
    private final Map<String, EndpointRef> refs = new LinkedHashMap<>(); // guarded by updateLock
    private final Map<EndpointSpec, List<String>> resolved = new HashMap<>(); // guarded by updateLock
    private Instant lastDns;                                                  // guarded by updateLock
    private volatile List<StoreTarget> targets = List.of();
    private volatile List<EndpointStatus> status = List.of();
    private volatile List<String> discoveryErrors = List.of();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    public EndpointSet(EndpointSetOptions opts) {
        this.opts = opts;
        this.fileSd = new FileSd(opts.sdFiles);
        this.checkers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "endpoint-check");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@link #update()} now and then every refresh interval, on a daemon thread. */
    public synchronized void start() {
        if (scheduler != null || closed) {
            throw new IllegalStateException(closed ? "endpoint set is closed" : "endpoint set already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "endpoint-set");
            t.setDaemon(true);
            return t;
        });
        long every = opts.refreshInterval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                update();
            } catch (RuntimeException e) {
                LOG.warn("update endpoints: {}", e.toString());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    /** One round: discover, check every endpoint, publish targets and status. */
    public void update() {
        synchronized (updateLock) {
            Instant now = opts.clock.instant();
            List<String> errors = new ArrayList<>();
            Set<String> addresses = discover(now, errors);

            for (String a : addresses) {
                if (!refs.containsKey(a)) {
                    refs.put(a, new EndpointRef(a, opts.channels.apply(a), opts.responseTimeout, now));
                }
            }
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            for (EndpointRef r : refs.values()) {
                if (addresses.contains(r.address())) {
                    checks.add(CompletableFuture.runAsync(() -> r.check(opts.infoTimeout, now), checkers));
                }
            }
            CompletableFuture.allOf(checks.toArray(new CompletableFuture[0])).join();

            Instant after = opts.clock.instant();
            List<StoreTarget> ts = new ArrayList<>();
            List<EndpointStatus> st = new ArrayList<>();
            for (var it = refs.values().iterator(); it.hasNext(); ) {
                EndpointRef r = it.next();
                if (!addresses.contains(r.address()) || r.timedOut(after, opts.unhealthyTimeout)) {
                    LOG.info("removing endpoint because it's unhealthy or does not exist address={}", r.address());
                    it.remove();
                    r.close();
                    continue;
                }
                st.add(r.status());
                StoreTarget t = r.target();
                if (t != null) {
                    ts.add(t);
                }
            }
            ts.sort(Comparator.comparing(StoreTarget::name));
            st.sort(Comparator.comparing(EndpointStatus::name));
            targets = List.copyOf(ts);
            status = List.copyOf(st);
            discoveryErrors = List.copyOf(errors);
        }
    }

    private Set<String> discover(Instant now, List<String> errors) {
        List<EndpointSpec> specs = new ArrayList<>(opts.endpoints);
        for (String t : fileSd.targets(errors)) {
            try {
                specs.add(EndpointSpec.parse(t, "file SD " + String.join(",", opts.sdFiles)));
            } catch (ThanosException e) {
                errors.add(e.getMessage());
            }
        }
        boolean dnsDue = lastDns == null || !now.isBefore(lastDns.plus(opts.dnsInterval));
        if (dnsDue) {
            lastDns = now;
        }
        Set<String> out = new LinkedHashSet<>();
        Set<EndpointSpec> used = new LinkedHashSet<>();
        for (EndpointSpec s : specs) {
            used.add(s);
            if (!s.needsDns()) {
                out.add(EndpointSpec.address(s.host(), s.port()));
                continue;
            }
            List<String> prev = resolved.get(s);
            if (prev == null || dnsDue) {
                try {
                    prev = s.resolve(opts.resolver);
                    resolved.put(s, prev);
                } catch (IOException | RuntimeException e) {
                    // Keep the last good answer: a DNS hiccup should not drop healthy endpoints.
                    errors.add("resolve endpoint \"" + s.raw() + "\": " + e.getMessage());
                    if (prev == null) {
                        prev = List.of();
                    }
                }
            }
            out.addAll(prev);
        }
        resolved.keySet().retainAll(used);
        return out;
    }

    /** Healthy endpoints serving a StoreAPI, sorted by address. */
    public List<StoreTarget> targets() {
        return targets;
    }

    /** Every known endpoint, healthy or not, sorted by address. */
    public List<EndpointStatus> status() {
        return status;
    }

    /** Problems of the last discovery (unreadable SD files, failed DNS lookups, bad addresses). */
    public List<String> discoveryErrors() {
        return discoveryErrors;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        synchronized (updateLock) {
            refs.values().forEach(EndpointRef::close);
            refs.clear();
            targets = List.of();
            status = List.of();
        }
        checkers.shutdownNow();
    }
}
