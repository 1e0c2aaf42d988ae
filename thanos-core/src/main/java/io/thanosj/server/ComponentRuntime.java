package io.thanosj.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every component runs on, in the shape of Thanos's run group: one registry, one prober,
 * an HTTP server with {@code /-/healthy}, {@code /-/ready} and {@code /metrics}, an optional gRPC
 * server with the health service, a scheduler for background loops, and closers stopped in reverse
 * order on SIGTERM or when a background task fails.
 */
public final class ComponentRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ComponentRuntime.class);

    private final String component;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry();
    private final Prober prober = new Prober();
    private final HttpServer.Builder http = HttpServer.builder();
    private final GrpcServer grpc = new GrpcServer();
    private final ScheduledExecutorService scheduler;
    private final Deque<AutoCloseable> closers = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long grpcGraceMillis = 2 * 60_000;
    private HttpServer httpServer;
    private boolean grpcStarted;
    // Kept from start-up so that the ports can still be named after the component stopped.
    private volatile int httpPort = -1;
    private volatile int grpcPort = -1;

    public ComponentRuntime(String component) {
        this.component = component;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, component + "-bg");
            t.setDaemon(true);
            return t;
        });
    }

    public String component() {
        return component;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Prober prober() {
        return prober;
    }

    /** Routes to add before {@link #start}. */
    public HttpServer.Builder http() {
        return http;
    }

    /** Services to add before {@link #start}. */
    public GrpcServer grpc() {
        return grpc;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** How long running gRPC calls may take to finish at shutdown. */
    public void grpcGracePeriod(long millis) {
        this.grpcGraceMillis = millis;
    }

    /** Registers something to close at shutdown; closers run in reverse order of registration. */
    public synchronized <T extends AutoCloseable> T onStop(T c) {
        closers.push(c);
        return c;
    }

    /**
     * Binds the HTTP server and, if {@code grpcAddress} is not null, the gRPC server. A taken
     * port fails here with a message naming the address and flag.
     */
    public void start(String httpAddress, String grpcAddress) {
        http.route("/-/healthy", ex -> {
            if (prober.isHealthy()) {
                ex.respondText(200, "OK");
            } else {
                ex.respondText(503, "NOT OK");
            }
        });
        http.route("/-/ready", ex -> {
            String reason = prober.notReadyReason();
            if (reason == null) {
                ex.respondText(200, "OK");
            } else {
                ex.respondText(503, "NOT OK: " + reason);
            }
        });
        http.route("/metrics", ex -> ex.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8)));
        prober.attach(grpc.health());
        try {
            if (grpcAddress != null) {
                grpc.start("--grpc-address", grpcAddress);
                grpcStarted = true;
                grpcPort = grpc.port();
            }
            httpServer = http.build().start("--http-address", httpAddress);
            httpPort = httpServer.port();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.atInfo().addKeyValue("component", component).addKeyValue("http", httpAddress)
                .addKeyValue("grpc", grpcAddress == null ? "none" : grpcAddress).log("listening");
    }

    public int httpPort() {
        return httpPort;
    }

    /** The bound gRPC port, or -1 when the component has no gRPC server. */
    public int grpcPort() {
        return grpcPort;
    }

    /** Runs {@code task} every {@code periodMillis}; an exception is logged and the loop goes on. */
    public void every(String name, long periodMillis, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.atWarn().addKeyValue("task", name).addKeyValue("err", t.toString()).log("background task failed");
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** A fatal failure of a background part: the component stops and exits non-zero. */
    public void fail(Throwable t) {
        failure.compareAndSet(null, t);
        String err = t instanceof io.thanosj.model.ThanosException ? t.getMessage() : t.toString();
        log.atError().addKeyValue("err", err).log("component failed, shutting down");
        new Thread(this::close, "shutdown").start();
    }

    /**
     * Blocks until the component stops (SIGTERM, SIGINT or a fatal failure) and returns the exit
     * code. The JVM's shutdown hook performs the graceful stop.
     */
    public int awaitTermination() {
        Thread hook = new Thread(this::close, "sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure.get() == null ? 0 : 1;
    }

    /** Graceful stop: not ready first, then servers drain, then closers in reverse order. */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (httpServer != null) {
                log.atInfo().addKeyValue("component", component).log("shutting down");
            }
            prober.notReady("shutting down");
            if (grpcStarted) {
                grpc.stop(grpcGraceMillis);
            }
            if (httpServer != null) {
                httpServer.close();
            }
            scheduler.shutdownNow();
            AutoCloseable c;
            while ((c = pollCloser()) != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.atWarn().addKeyValue("err", e.toString()).log("close during shutdown failed");
                }
            }
            registry.close();
        } finally {
            stopped.countDown();
        }
    }

    private synchronized AutoCloseable pollCloser() {
        return closers.poll();
    }
}
