package io.thanosj.sidecar;

import io.thanosj.model.TimeOrDuration;

import io.thanosj.model.Durations;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.prometheus.PromClient;
import io.thanosj.prometheus.PromMetadata;
import io.thanosj.prometheus.PrometheusStore;
import io.thanosj.reloader.Reloader;
import io.thanosj.server.ComponentCommand;
import io.thanosj.server.ComponentRuntime;
import io.thanosj.shipper.Shipper;
import io.thanosj.store.InfoService;
import io.thanosj.store.StoreService;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code thanos sidecar}: serves the StoreAPI over a Prometheus server, uploads its blocks to
 * object storage and reloads its configuration when it changes. Only wiring: the work is done by
 * {@link PrometheusStore}, {@link Shipper} and {@link Reloader}.
 */
@Command(name = "sidecar", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Sidecar for Prometheus server: StoreAPI over Prometheus and block upload to object storage.")
public final class SidecarCommand extends ComponentCommand {
    private static final Logger log = LoggerFactory.getLogger(SidecarCommand.class);

    @Option(names = "--http-address", defaultValue = "0.0.0.0:10902", description = "Listen host:port for HTTP endpoints.")
    String httpAddress;

    @Option(names = "--grpc-address", defaultValue = "0.0.0.0:10901",
            description = "Listen ip:port address for gRPC endpoints (StoreAPI). Make sure this address is routable from other components.")
    String grpcAddress;

    @picocli.CommandLine.Mixin
    io.thanosj.server.ObjstoreFlags objstore;

    @Option(names = "--prometheus.url", defaultValue = "http://localhost:9090",
            description = "URL at which to reach Prometheus's API. For better performance use local network.")
    String prometheusUrl;

    @Option(names = "--prometheus.ready_timeout", defaultValue = "10m",
            description = "Maximum time to wait for the Prometheus instance to start up")
    String readyTimeout;

    @Option(names = "--prometheus.get_config_interval", defaultValue = "30s", description = "How often to get Prometheus config")
    String getConfigInterval;

    @Option(names = "--prometheus.get_config_timeout", defaultValue = "30s", description = "Timeout for getting Prometheus config")
    String getConfigTimeout;

    @Option(names = "--tsdb.path", defaultValue = "./data", description = "Data directory of TSDB.")
    String tsdbPath;

    @Option(names = "--reloader.config-file", defaultValue = "", description = "Config file watched by the reloader.")
    String reloaderConfigFile;

    @Option(names = "--reloader.config-envsubst-file", defaultValue = "",
            description = "Output file for environment variable substituted config file.")
    String reloaderEnvsubstFile;

    @Option(names = "--reloader.rule-dir", description = "Rule directories for the reloader to refresh (repeated field).")
    List<String> reloaderRuleDirs = new ArrayList<>();

    @Option(names = "--reloader.watch-interval", defaultValue = "3m",
            description = "Controls how often reloader re-reads config and rules.")
    String reloaderWatchInterval;

    @Option(names = "--reloader.retry-interval", defaultValue = "5s",
            description = "Controls how often reloader retries config reload in case of error.")
    String reloaderRetryInterval;

    @Option(names = "--shipper.upload-compacted", defaultValue = "false",
            description = "If true shipper will try to upload compacted blocks as well. Useful for migration purposes. "
                    + "Works only if compaction is disabled on Prometheus. Do it once and then disable the flag when done.")
    boolean uploadCompacted;

    @Option(names = "--shipper.meta-file-name", defaultValue = "thanos.shipper.json",
            description = "the file to store shipper metadata in")
    String shipperMetaFileName;

    @Option(names = "--hash-func", defaultValue = "",
            description = "Specify which hash function to use when calculating the hashes of produced files. If no function "
                    + "has been specified, it does not happen. Possible values are: \"\", \"SHA256\".")
    String hashFunc;

    /** Not a Thanos flag (Thanos uploads every 30s); lets tests and impatient users go faster. */
    @Option(names = "--shipper.sync-interval", defaultValue = "30s", hidden = true,
            description = "How often the shipper looks for new blocks.")
    String shipperSyncInterval;

    @Option(names = "--min-time", defaultValue = "0000-01-01T00:00:00Z",
            description = "Start of time range limit to serve. Thanos sidecar will serve only metrics, which happened later "
                    + "than this value. Option can be a constant time in RFC3339 format or time duration relative to current "
                    + "time, such as -1d or 2h45m. Valid duration units are ms, s, m, h, d, w, y.")
    String minTime;

    /** Environment for the reloader's substitution; tests replace it. */
    java.util.function.UnaryOperator<String> env = System::getenv;

    /** Completes when Prometheus was reached and the sidecar became ready; fails when it must stop. */
    final CompletableFuture<Void> started = new CompletableFuture<>();

    @Override
    protected String name() {
        return "sidecar";
    }

    @Override
    protected String httpAddress() {
        return httpAddress;
    }

    @Override
    protected String grpcAddress() {
        return grpcAddress;
    }

    @Override
    protected void wire(ComponentRuntime rt) throws Exception {
        URI url = PromClient.parseUrl("--prometheus.url", prometheusUrl);
        long readyTimeoutMs = Durations.parseMillis("--prometheus.ready_timeout", readyTimeout);
        long configIntervalMs = positive("--prometheus.get_config_interval", getConfigInterval);
        long configTimeoutMs = positive("--prometheus.get_config_timeout", getConfigTimeout);
        long watchIntervalMs = Durations.parseMillis("--reloader.watch-interval", reloaderWatchInterval);
        long retryIntervalMs = positive("--reloader.retry-interval", reloaderRetryInterval);
        long syncIntervalMs = positive("--shipper.sync-interval", shipperSyncInterval);
        LongSupplier limitMinTime = TimeOrDuration.parse("--min-time", minTime);
        Path dataDir = Path.of(tsdbPath);

        PromClient client = new PromClient(url, Duration.ofMillis(configTimeoutMs));
        PromMetadata meta = new PromMetadata(client, limitMinTime);
        PrometheusStore store = new PrometheusStore(meta);
        ExecutorService pumps = Executors.newCachedThreadPool(daemon("sidecar-series"));
        rt.onStop(pumps::shutdownNow);
        rt.grpc().addInlineService(new StoreService(store, pumps));
        rt.grpc().addInlineService(InfoService.of("sidecar", store));

        Reloader reloader = null;
        Reloader.Options ro = new Reloader.Options(
                reloaderConfigFile.isEmpty() ? null : Path.of(reloaderConfigFile),
                reloaderEnvsubstFile.isEmpty() ? null : Path.of(reloaderEnvsubstFile),
                reloaderRuleDirs.stream().map(Path::of).toList(), retryIntervalMs);
        if (!ro.watchesNothing()) {
            reloader = new Reloader(ro, client::reload, env, rt.registry(), Clock.systemUTC());
            reloader.prepare(); // a broken template stops the sidecar here, with its reason
        }

        Shipper shipper = null;
        if (objstore.isSet()) {
            Shipper.Options so = new Shipper.Options("sidecar", uploadCompacted, shipperMetaFileName, hashFunc);
            Bucket bucket = objstore.bucket(rt.registry());
            rt.onStop(bucket);
            if (!Files.isDirectory(dataDir.resolve("wal"))) {
                log.atError().addKeyValue("dir", dataDir.resolve("wal"))
                        .log("WAL dir is not accessible. Is this dir a TSDB directory? If yes it is shared with TSDB?");
            }
            shipper = new Shipper(bucket, dataDir, meta::labels, so, rt.registry());
        } else {
            log.atInfo().log("no supported bucket was configured, uploads will be disabled");
        }

        if (reloader != null) {
            Reloader r = reloader;
            long poll = watchIntervalMs == 0 ? 0 : Math.min(1000, watchIntervalMs);
            if (poll > 0) {
                rt.every("reloader", poll, r::poll);
            } else {
                rt.scheduler().execute(r::poll); // Thanos: with no watch interval, apply once
            }
        }

        PrometheusWatch watch = new PrometheusWatch(meta, rt.prober(), rt.registry(), shipper != null);
        Shipper sh = shipper;
        long deadline = System.currentTimeMillis() + readyTimeoutMs;
        Runnable attempt = new Runnable() {
            @Override
            public void run() {
                try {
                    if (!watch.tryStart(System.currentTimeMillis(), deadline, readyTimeout)) {
                        rt.scheduler().schedule(this, 2, TimeUnit.SECONDS);
                        return;
                    }
                } catch (ThanosException e) {
                    started.completeExceptionally(e);
                    rt.fail(e);
                    return;
                } catch (RuntimeException e) {
                    log.atWarn().addKeyValue("err", e.toString()).log("sidecar start-up attempt failed");
                    rt.scheduler().schedule(this, 2, TimeUnit.SECONDS);
                    return;
                }
                rt.every("prometheus heartbeat", configIntervalMs, watch::beat);
                if (sh != null) {
                    rt.every("shipper", syncIntervalMs, () -> syncOnce(sh));
                }
                started.complete(null);
            }
        };
        rt.scheduler().execute(attempt);
        log.atInfo().addKeyValue("prometheus", url).log("starting sidecar");
    }

    private static void syncOnce(Shipper s) {
        try {
            int n = s.sync();
            if (n > 0) {
                log.atInfo().addKeyValue("uploaded", n).log("shipper uploaded blocks");
            }
        } catch (ThanosException e) {
            log.atWarn().addKeyValue("err", e.getMessage()).log("shipper sync failed; retrying next round");
        }
    }

    private static long positive(String flag, String value) {
        long ms = Durations.parseMillis(flag, value);
        if (ms <= 0) {
            throw ThanosException.badData("invalid " + flag + " \"" + value + "\": must be positive");
        }
        return ms;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
