package io.thanosj.reloader;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thanos's config reloader: watches Prometheus's config file and rule directories and, when they
 * change, tells Prometheus to reload. The config file may be a template: with an output file set,
 * it is gunzipped if needed, its {@code $(VAR)} references are replaced by environment variables
 * (an unset variable is an error) and the result is written to the output file, which Prometheus
 * reads.
 *
 * <p>{@link #poll()} is called on a short fixed delay: it re-reads and hashes the files (polling
 * stands in for Thanos's inotify watch) and reloads when a hash differs from the last successful
 * reload. A failed reload is retried every {@code retryInterval} until it succeeds. Not
 * thread-safe: one caller polls.
 */
public final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);
    private static final Pattern ENV_REF = Pattern.compile("\\$\\(([a-zA-Z_0-9]+)\\)");

    /** Triggers a reload of the watched process; throws to report failure. */
    @FunctionalInterface
    public interface Trigger {
        void reload();
    }

    /**
     * @param configFile    config file to watch; null for none
     * @param configOutput  where to write the substituted config; null to only watch
     * @param ruleDirs      directories whose files (recursively) are watched
     * @param retryInterval delay between retries of a failed reload
     */
    public record Options(Path configFile, Path configOutput, List<Path> ruleDirs, long retryIntervalMillis) {
        public Options {
            ruleDirs = List.copyOf(ruleDirs);
            if (configOutput != null && configFile == null) {
                throw ThanosException.badData("--reloader.config-envsubst-file is set but --reloader.config-file is not");
            }
        }

        public boolean watchesNothing() {
            return configFile == null && ruleDirs.isEmpty();
        }
    }

    private final Options opts;
    private final Trigger trigger;
    private final UnaryOperator<String> env;
    private final Clock clock;
    private final Counter reloads;
    private final Counter reloadErrors;
    private final Counter applies;
    private final Counter applyErrors;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong lastSuccessSeconds = new AtomicLong();
    private final AtomicLong envErrors = new AtomicLong();

    private byte[] reloadedHash;
    private byte[] attemptedHash;
    private boolean failing;
    private long nextRetry;
    private byte[] lastOutput;

    /**
     * @param env environment lookup ({@code System::getenv}); returns null for unset variables
     * @param registry registry for Thanos's {@code thanos_sidecar_reloader_*} metrics
     */
    public Reloader(Options opts, Trigger trigger, UnaryOperator<String> env, MeterRegistry registry, Clock clock) {
        this.opts = Objects.requireNonNull(opts, "opts");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.env = Objects.requireNonNull(env, "env");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reloads = Counter.builder("thanos.sidecar.reloader.reloads").description("Total number of reload requests.")
                .register(registry);
        this.reloadErrors = Counter.builder("thanos.sidecar.reloader.reloads.failed")
                .description("Total number of reload requests that failed.").register(registry);
        this.applies = Counter.builder("thanos.sidecar.reloader.config.apply.operations")
                .description("Total number of config apply operations.").register(registry);
        this.applyErrors = Counter.builder("thanos.sidecar.reloader.config.apply.operations.failed")
                .description("Total number of config apply operations that failed.").register(registry);
        Gauge.builder("thanos.sidecar.reloader.last.reload.successful", lastSuccess, AtomicLong::get)
                .description("Whether the last reload attempt was successful").register(registry);
        Gauge.builder("thanos.sidecar.reloader.last.reload.success.timestamp.seconds", lastSuccessSeconds, AtomicLong::get)
                .description("Timestamp of the last successful reload").register(registry);
        Gauge.builder("thanos.sidecar.reloader.config.environment.variable.expansion.errors", envErrors, AtomicLong::get)
                .description("Number of environment variable expansions that failed during the last operation.")
                .register(registry);
        Gauge.builder("thanos.sidecar.reloader.info", () -> 1).tag("method", "http")
                .description("A metric with a constant '1' value labeled by reload method (either 'http' or 'signal').")
                .register(registry);
    }

    /**
     * Reads the config once and writes the substituted output, without reloading: run at start-up
     * so that a broken template (unreadable file, unset variable) stops the sidecar with a clear
     * error, as in Thanos.
     */
    public void prepare() {
        if (opts.configFile != null) {
            byte[] raw = read(opts.configFile, "read --reloader.config-file");
            writeOutput(raw);
        }
    }

    /**
     * One round: re-reads everything and reloads if something changed since the last successful
     * reload, or if a failed reload is due for a retry. Returns whether a reload succeeded.
     * Problems with the files are logged and counted, and retried next round.
     */
    public boolean poll() {
        if (opts.watchesNothing()) {
            return false;
        }
        byte[] hash;
        try {
            hash = applyAndHash();
        } catch (ThanosException e) {
            applyErrors.increment();
            log.atError().addKeyValue("err", e.getMessage()).log("apply error");
            return false;
        }
        boolean changed = !Arrays.equals(hash, reloadedHash);
        if (!changed && !failing) {
            return false;
        }
        long now = clock.millis();
        if (failing && Arrays.equals(hash, attemptedHash) && now < nextRetry) {
            return false;
        }
        attemptedHash = hash;
        applies.increment();
        reloads.increment();
        try {
            trigger.reload();
        } catch (RuntimeException e) {
            reloadErrors.increment();
            lastSuccess.set(0);
            failing = true;
            nextRetry = now + opts.retryIntervalMillis;
            log.atError().addKeyValue("err", e.getMessage()).log("failed to trigger reload; retrying");
            return false;
        }
        reloadedHash = hash;
        failing = false;
        lastSuccess.set(1);
        lastSuccessSeconds.set(now / 1000);
        log.atInfo().addKeyValue("cfg_in", String.valueOf(opts.configFile))
                .addKeyValue("cfg_out", String.valueOf(opts.configOutput))
                .addKeyValue("watched_dirs", opts.ruleDirs.toString()).log("reload triggered");
        return true;
    }

    /** Hash of the config file and every watched file; writes the substituted config on the way. */
    private byte[] applyAndHash() {
        MessageDigest h = sha256();
        if (opts.configFile != null) {
            byte[] raw = read(opts.configFile, "read --reloader.config-file");
            hashEntry(h, opts.configFile.toString(), raw);
            writeOutput(raw);
        }
        for (Path dir : opts.ruleDirs) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "read --reloader.rule-dir " + dir + ": " + e.getMessage(), e);
            }
            for (Path f : files) {
                hashEntry(h, f.toString(), read(f, "read rule file"));
            }
        }
        return h.digest();
    }

    private static void hashEntry(MessageDigest h, String name, byte[] content) {
        h.update((byte) 0xff);
        h.update(name.getBytes(StandardCharsets.UTF_8));
        h.update((byte) 0xff);
        h.update(content);
    }

    private void writeOutput(byte[] raw) {
        if (opts.configOutput == null) {
            return;
        }
        byte[] out = expandEnv(gunzipIfNeeded(raw)).getBytes(StandardCharsets.UTF_8);
        if (lastOutput != null && Arrays.equals(lastOutput, out) && Files.exists(opts.configOutput)) {
            return;
        }
        Path tmp = opts.configOutput.resolveSibling(opts.configOutput.getFileName() + ".tmp");
        try {
            Files.write(tmp, out);
            try {
                Files.move(tmp, opts.configOutput, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, opts.configOutput, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "write --reloader.config-envsubst-file "
                    + opts.configOutput + ": " + e, e);
        }
        lastOutput = out;
    }

    private byte[] gunzipIfNeeded(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b && b[2] == 8) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw ThanosException.badData("decompress --reloader.config-file " + opts.configFile + ": " + e.getMessage());
            }
        }
        return b;
    }

    /** Replaces {@code $(NAME)} with the variable's value; an unset variable is an error. */
    String expandEnv(byte[] content) {
        String s = new String(content, StandardCharsets.UTF_8);
        Matcher m = ENV_REF.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        int errors = 0;
        String missing = null;
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                errors++;
                if (missing == null) {
                    missing = m.group(1);
                }
                continue;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        envErrors.set(errors);
        if (missing != null) {
            throw ThanosException.badData("expand environment variables in --reloader.config-file " + opts.configFile
                    + ": found reference to unset environment variable \"" + missing + "\"");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static byte[] read(Path f, String what) {
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ThanosException(ErrorCode.NOT_FOUND, what + " " + f + ": file does not exist", e);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, what + " " + f + ": " + e, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
