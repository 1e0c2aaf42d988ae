package io.thanosj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class TestThanosCli {
    private static final String[] COMPONENTS = {"sidecar", "query", "store", "receive", "rule", "compact", "query-frontend"};
    private static final java.util.Set<String> READY_WITHOUT_DEPENDENCIES = java.util.Set.of("query", "store");

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = Thanos.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    @Tag("unit")
    void helpListsEveryComponentAndTools() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        for (String c : COMPONENTS) {
            assertThat(r.out()).contains("  " + c + " ");
        }
        assertThat(r.out()).contains("  tools ");
        assertThat(run("--version").out()).startsWith("thanos, version ");
    }

    @Test
    @Tag("unit")
    void eachComponentHasHelpWithThanosFlags() {
        for (String c : COMPONENTS) {
            Result r = run(c, "--help");
            assertThat(r.code()).as(c).isZero();
            assertThat(r.out()).as(c).contains("--http-address", "--log.level", "--log.format");
        }
        assertThat(run("store", "--help").out()).contains("--objstore.config-file", "--objstore.config=", "0.0.0.0:10906", "0.0.0.0:10905");
    }

    @ParameterizedTest
    @Tag("unit")
    @CsvSource(delimiter = '|', value = {
        "query --no-such-flag | Unknown option: '--no-such-flag'",
        "store --log.level=loud | invalid --log.level \"loud\"",
        "store --log.format=xml | invalid --log.format \"xml\"",
        "query --http-address=nonsense | invalid --http-address \"nonsense\": missing port",
        "compact --grpc-grace-period=10x | invalid --grpc-grace-period \"10x\"",
        "frobnicate | Unmatched argument",
        "store --objstore.config=type: S4 | objstore config: unknown type \"S4\"",
        "compact --data-dir=/tmp | no supported bucket was configured",
        "tools bucket ls --objstore.config-file=/nonexistent/bucket.yml | read --objstore.config-file /nonexistent/bucket.yml: no such file",
    })
    void badInputGivesOneLineAndNonZeroExit(String args, String expected) {
        Result r = run(splitArgs(args.trim()));
        assertThat(r.code()).isNotZero();
        assertThat(r.err().lines().findFirst().orElse("")).startsWith("error: ").contains(expected);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    /** Splits on spaces, except inside a flag value ({@code --objstore.config=type: S4} stays one argument). */
    static String[] splitArgs(String line) {
        List<String> out = new ArrayList<>();
        for (String tok : line.split(" ")) {
            int last = out.size() - 1;
            if (last >= 0 && !tok.startsWith("-") && out.get(last).startsWith("--") && out.get(last).contains("=")) {
                out.set(last, out.get(last) + " " + tok);
            } else {
                out.add(tok);
            }
        }
        return out.toArray(new String[0]);
    }

    @Test
    @Tag("integration")
    void componentsStartAnswerHealthAndStopOnSigterm() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String c : COMPONENTS) {
            Started started = startComponent(http, c);
            Process p = started.process();
            java.nio.file.Path logFile = started.log();
            int httpPort = started.httpPort();
            try {
                String base = "http://127.0.0.1:" + httpPort;
                assertThat(started.healthy().statusCode()).as(c).isEqualTo(200);
                HttpResponse<String> ready = awaitReadiness(http, base + "/-/ready", READY_WITHOUT_DEPENDENCIES.contains(c));
                // The querier serves at once and the store gateway after its first sync of the (empty)
                // bucket; components not implemented beyond the runtime, and a sidecar without its
                // Prometheus, must not claim readiness.
                assertThat(ready.statusCode()).as(c).isEqualTo(READY_WITHOUT_DEPENDENCIES.contains(c) ? 200 : 503);
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).as(c).contains("thanos_build_info{", "jvm_memory_used_bytes{", "process_cpu_seconds_total");
            } finally {
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(c + " stops on SIGTERM").isTrue();
            }
            String log = java.nio.file.Files.readString(logFile, StandardCharsets.UTF_8);
            java.nio.file.Files.delete(logFile);
            assertThat(log).as(c).contains("msg=listening", "msg=\"shutting down\"");
        }
    }

    record Started(Process process, java.nio.file.Path log, int httpPort, HttpResponse<String> healthy) {}

    /**
     * Starts a component on ports that were free a moment ago. Another process may take one of them in
     * between; a start that fails only because an address is in use is retried on fresh ports, any other
     * failed start fails the test with the component's log.
     */
    private static Started startComponent(HttpClient http, String c) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int httpPort = freePort();
            List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                    Thanos.class.getName(), c, "--http-address=127.0.0.1:" + httpPort));
            if (!c.equals("compact") && !c.equals("query-frontend")) {
                cmd.add("--grpc-address=127.0.0.1:" + freePort());
            }
            if (c.equals("receive")) {
                cmd.add("--remote-write.address=127.0.0.1:" + freePort());
            }
            if (List.of("sidecar", "store", "compact", "receive", "rule").contains(c)) {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bucket-" + c);
                cmd.add("--objstore.config=type: FILESYSTEM\nconfig:\n  directory: " + dir);
            }
            if (c.equals("sidecar")) {
                // No Prometheus listens there, so the sidecar must stay not ready.
                cmd.add("--prometheus.url=http://127.0.0.1:" + freePort());
                cmd.add("--tsdb.path=" + java.nio.file.Files.createTempDirectory("tsdb"));
            }
            if (c.equals("store") || c.equals("compact")) {
                cmd.add("--data-dir=" + java.nio.file.Files.createTempDirectory("data-" + c));
            }
            java.nio.file.Path logFile = java.nio.file.Files.createTempFile("thanos-" + c, ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            try {
                return new Started(p, logFile, httpPort, awaitUp(http, "http://127.0.0.1:" + httpPort + "/-/healthy", p));
            } catch (AssertionError e) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                String log = java.nio.file.Files.readString(logFile, StandardCharsets.UTF_8);
                java.nio.file.Files.delete(logFile);
                if (attempt >= 3 || !log.contains("address already in use")) {
                    throw new AssertionError(e.getMessage() + "\n" + c + " log:\n" + log, e);
                }
            }
        }
    }

    /** Readiness may follow start-up by a moment (the store's first sync); polls briefly when it is expected. */
    private static HttpResponse<String> awaitReadiness(HttpClient http, String url, boolean expectReady) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(expectReady ? 30 : 0);
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 || System.nanoTime() >= deadline) {
                return r;
            }
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> awaitUp(HttpClient http, String url, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("component did not come up: " + url + " alive=" + p.isAlive(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String javaBin() {
        return System.getProperty("java.home") + "/bin/java";
    }
}
