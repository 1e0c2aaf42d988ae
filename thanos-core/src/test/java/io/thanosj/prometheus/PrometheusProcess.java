package io.thanosj.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (the Debian 2.42 binary) for integration tests: started on a free loopback
 * port with its own data directory and stopped by {@link #close()}. Without the binary, tests are
 * skipped locally but fail when {@code CI=true}, so CI cannot pass by silently skipping them.
 */
public final class PrometheusProcess implements AutoCloseable {
    public static final String BINARY = System.getenv().getOrDefault("PROMETHEUS_BIN", "/usr/bin/prometheus");
    public static final String PROMTOOL = System.getenv().getOrDefault("PROMTOOL_BIN", "/usr/bin/promtool");

    private final Path dataDir;
    private final Path configFile;
    private final List<String> extraFlags;
    private final int port;
    private Process process;

    private PrometheusProcess(Path dataDir, Path configFile, List<String> extraFlags, int port) {
        this.dataDir = dataDir;
        this.configFile = configFile;
        this.extraFlags = extraFlags;
        this.port = port;
    }

    /** Skips the calling test when the binaries are missing, unless {@code CI=true}: then it fails. */
    public static void requireBinaries() {
        boolean present = Files.isExecutable(Path.of(BINARY)) && Files.isExecutable(Path.of(PROMTOOL));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("integration test needs " + BINARY + " and " + PROMTOOL
                    + " (apt-get install -y prometheus); CI=true so it fails instead of being skipped");
        }
        Assumptions.assumeTrue(present, "prometheus binaries not installed");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A config scraping Prometheus itself every second, with the given external labels (name,
     * value pairs) and {@code extra} YAML appended under the top level.
     */
    public static String selfScrapeConfig(int port, String... externalLabels) {
        StringBuilder sb = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
        if (externalLabels.length > 0) {
            sb.append("  external_labels:\n");
            for (int i = 0; i < externalLabels.length; i += 2) {
                sb.append("    ").append(externalLabels[i]).append(": '").append(externalLabels[i + 1]).append("'\n");
            }
        }
        sb.append("scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:")
                .append(port).append("']\n");
        return sb.toString();
    }

    /**
     * Writes blocks from OpenMetrics text into {@code dataDir} with promtool (level-1 blocks of
     * up to 2h), as a Prometheus that ran in the past would have left them.
     */
    public static void createBlocks(Path dataDir, String openMetrics) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path in = Files.createTempFile(dataDir.getParent(), "om", ".txt");
        Files.writeString(in, openMetrics);
        Process p = new ProcessBuilder(PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", in.toString(), dataDir.toString())
                .redirectErrorStream(true).redirectOutput(dataDir.getParent().resolve("promtool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("promtool create-blocks-from failed: "
                    + Files.readString(dataDir.getParent().resolve("promtool.log")));
        }
        Files.delete(in);
    }

    /** Starts Prometheus with a config file written from {@code config} (use {@link #freePort()} for it). */
    public static PrometheusProcess start(Path dataDir, Path configFile, int port, String... extraFlags) throws IOException {
        PrometheusProcess p = new PrometheusProcess(dataDir, configFile, List.of(extraFlags), port);
        p.launch();
        return p;
    }

    private void launch() throws IOException {
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>(List.of(BINARY,
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dataDir,
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle",
                // Equal block durations disable compaction, as the sidecar requires.
                "--storage.tsdb.min-block-duration=2h",
                "--storage.tsdb.max-block-duration=2h"));
        cmd.addAll(extraFlags);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + "-prometheus.log").toFile()))
                .start();
        awaitReady(Duration.ofSeconds(30));
    }

    private void awaitReady(Duration timeout) throws IOException {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            sleep(50);
        }
        throw new IOException("prometheus not ready after " + timeout + ": " + log());
    }

    public String log() {
        try {
            String s = Files.readString(dataDir.resolveSibling(dataDir.getFileName() + "-prometheus.log"), StandardCharsets.UTF_8);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops it (SIGTERM, then SIGKILL after 10s); {@link #restart()} brings it back on the same port. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    public void restart() throws IOException {
        stop();
        launch();
    }

    /** GET on Prometheus's API; returns the body. */
    public String get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
