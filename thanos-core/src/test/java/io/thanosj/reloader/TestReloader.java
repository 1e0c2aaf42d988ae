package io.thanosj.reloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.ThanosException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestReloader {
    @TempDir
    Path dir;

    private final AtomicInteger reloads = new AtomicInteger();
    private final Map<String, String> env = Map.of("HOSTNAME", "pod-0", "CLUSTER", "eu1");

    private Reloader reloader(Path cfg, Path out, List<Path> rules, Reloader.Trigger t, Clock clock) {
        return new Reloader(new Reloader.Options(cfg, out, rules, 5_000), t, env::get, new SimpleMeterRegistry(), clock);
    }

    private Reloader reloader(Path cfg, Path out, List<Path> rules) {
        return reloader(cfg, out, rules, reloads::incrementAndGet, Clock.systemUTC());
    }

    @Test
    void substitutesEnvironmentAndReloadsOnlyOnChange() throws Exception {
        Path cfg = dir.resolve("prometheus.yml.tmpl");
        Path out = dir.resolve("prometheus.yml");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(cfg, "global:\n  external_labels:\n    replica: '$(HOSTNAME)'\n    cluster: $(CLUSTER)\n    keep: $HOSTNAME\n");
        Reloader r = reloader(cfg, out, List.of(rules));
        r.prepare();
        assertThat(Files.readString(out)).isEqualTo("global:\n  external_labels:\n    replica: 'pod-0'\n    cluster: eu1\n    keep: $HOSTNAME\n");
        assertThat(reloads).hasValue(0);

        assertThat(r.poll()).isTrue();
        assertThat(r.poll()).isFalse();
        assertThat(reloads).hasValue(1);

        Files.writeString(rules.resolve("a.yml"), "groups: []\n");
        assertThat(r.poll()).isTrue();
        Files.writeString(cfg, "global: {}\n");
        assertThat(r.poll()).isTrue();
        assertThat(Files.readString(out)).isEqualTo("global: {}\n");
        assertThat(r.poll()).isFalse();
        assertThat(reloads).hasValue(3);
    }

    @Test
    void unsetVariableIsAClearErrorAtStartAndLaterOnlyLogged() throws Exception {
        Path cfg = dir.resolve("in.yml");
        Files.writeString(cfg, "a: $(HOSTNAME)\nb: $(NOPE)\n");
        Reloader r = reloader(cfg, dir.resolve("out.yml"), List.of());
        assertThatThrownBy(r::prepare).isInstanceOf(ThanosException.class)
                .hasMessage("expand environment variables in --reloader.config-file " + cfg
                        + ": found reference to unset environment variable \"NOPE\"");
        assertThat(r.poll()).isFalse();
        assertThat(reloads).hasValue(0);
        assertThat(Files.exists(dir.resolve("out.yml"))).isFalse();
    }

    @Test
    void gzippedTemplatesAreDecompressed() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write("x: $(CLUSTER)\n".getBytes());
        }
        Path cfg = dir.resolve("in.yml.gz");
        Files.write(cfg, b.toByteArray());
        Reloader r = reloader(cfg, dir.resolve("out.yml"), List.of());
        r.prepare();
        assertThat(Files.readString(dir.resolve("out.yml"))).isEqualTo("x: eu1\n");
    }

    @Test
    void failedReloadIsRetriedAfterTheRetryInterval() throws Exception {
        Path cfg = dir.resolve("p.yml");
        Files.writeString(cfg, "a: 1\n");
        long[] now = {1_000_000};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        boolean[] up = {false};
        Reloader r = reloader(cfg, null, List.of(), () -> {
            reloads.incrementAndGet();
            if (!up[0]) {
                throw new ThanosException(io.thanosj.model.ErrorCode.UNAVAILABLE, "reload prometheus: connection refused");
            }
        }, clock);
        assertThat(r.poll()).isFalse();
        assertThat(r.poll()).isFalse();
        assertThat(reloads).hasValue(1);
        now[0] += 5_000;
        up[0] = true;
        assertThat(r.poll()).isTrue();
        assertThat(reloads).hasValue(2);
        assertThat(r.poll()).isFalse();
    }

    @Test
    void outputWithoutInputIsRejected() {
        assertThatThrownBy(() -> new Reloader.Options(null, dir.resolve("o"), List.of(), 1))
                .isInstanceOf(ThanosException.class).hasMessageContaining("--reloader.config-file is not");
    }
}
