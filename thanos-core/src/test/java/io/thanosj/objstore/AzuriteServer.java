package io.thanosj.objstore;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite's blob service as a child process on a free 127.0.0.1 port, in memory. Installed with
 * {@code npm install -g azurite}. Where it is missing the tests are skipped, except on CI
 * ({@code CI=true}), where that is a failure.
 */
final class AzuriteServer implements AutoCloseable {
    /** Azurite's well-known development account. */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    static {
        // The SDK logs every failed request at error level, expected 404s and refused connections too.
        for (String noisy : List.of("com.azure", "reactor.netty")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(noisy)).setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    private final Process process;
    private final Path dir;
    private final int port;

    AzuriteServer() {
        String exe = findOnPath("azurite-blob");
        if (exe == null) {
            String why = "azurite-blob is not on PATH; install it with: npm install -g azurite";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        try {
            dir = Files.createTempDirectory("thanosj-azurite-");
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            process = new ProcessBuilder(List.of(exe, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck",
                    "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(port)))
                    // Azurite rejects --location with --inMemoryPersistence; its working files go here instead.
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("azurite.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    break;
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("azurite exited: " + Files.readString(dir.resolve("azurite.log")));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("azurite did not listen on port " + port + " within 30s");
                    }
                    Thread.sleep(50);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The service URL, used as the config's {@code endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    String yaml(String container, String extra) {
        return "type: AZURE\nconfig:\n  storage_account: " + ACCOUNT + "\n  storage_account_key: " + KEY
                + "\n  container: " + container + "\n  endpoint: " + endpoint() + "\n" + extra;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
