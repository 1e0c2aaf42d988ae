package io.thanosj.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real memcached or redis-server (Debian packages) on a free 127.0.0.1 port for integration
 * tests, stopped by {@link #close()}. Without the binary a test is skipped locally but fails when
 * {@code CI=true}, so CI cannot pass by skipping.
 */
public final class CacheServer implements AutoCloseable {
    public static final String MEMCACHED = System.getenv().getOrDefault("MEMCACHED_BIN", "/usr/bin/memcached");
    public static final String REDIS = System.getenv().getOrDefault("REDIS_SERVER_BIN", "/usr/bin/redis-server");

    private final Process process;
    private final int port;

    private CacheServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static CacheServer memcached() {
        require(MEMCACHED, "memcached");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(MEMCACHED, "-l", "127.0.0.1", "-p", String.valueOf(port), "-U", "0", "-m", "64"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("-u");
            cmd.add("root");
        }
        return start(cmd, port);
    }

    public static CacheServer redis() {
        require(REDIS, "redis-server");
        int port = freePort();
        return start(List.of(REDIS, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no"), port);
    }

    private static void require(String binary, String pkg) {
        boolean present = Files.isExecutable(Path.of(binary));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("integration test needs " + binary + " (apt-get install -y " + pkg
                    + "); CI=true so it fails instead of being skipped");
        }
        Assumptions.assumeTrue(present, binary + " not installed");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CacheServer start(List<String> cmd, int port) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(cmd.get(0) + " exited with " + p.exitValue());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new CacheServer(p, port);
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " did not listen on port " + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
