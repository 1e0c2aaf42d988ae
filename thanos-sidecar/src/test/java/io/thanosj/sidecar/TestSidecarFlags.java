package io.thanosj.sidecar;

import io.thanosj.model.TimeOrDuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import io.thanosj.server.ComponentRuntime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@Tag("unit")
class TestSidecarFlags {
    @Test
    void minTimeIsATimeOrADurationFromNow() {
        assertThat(TimeOrDuration.parse("--min-time", "0000-01-01T00:00:00Z").getAsLong()).isEqualTo(-62167219200000L);
        assertThat(TimeOrDuration.parse("--min-time", "2024-01-02T03:04:05+01:00").getAsLong()).isEqualTo(1704161045000L);
        long before = System.currentTimeMillis();
        long v = TimeOrDuration.parse("--min-time", "-2d").getAsLong();
        assertThat(v).isBetween(before - 2 * 86_400_000L, System.currentTimeMillis() - 2 * 86_400_000L);
        assertThat(TimeOrDuration.parse("--min-time", "2h45m").getAsLong()).isGreaterThan(before + 2 * 3_600_000L);
        assertThatThrownBy(() -> TimeOrDuration.parse("--min-time", "yesterday"))
                .isInstanceOf(ThanosException.class).hasMessageStartingWith("invalid --min-time \"yesterday\"");
    }

    @Test
    void badFlagsFailBeforeAnythingListens() {
        for (String[] args : new String[][] {
            {"--prometheus.url=localhost:9090"},
            {"--prometheus.ready_timeout=soon"},
            {"--prometheus.get_config_interval=0s"},
            {"--hash-func=MD5", "--objstore.config=type: FILESYSTEM\nconfig:\n  directory: /tmp/x\n"},
            {"--objstore.config=type: NOPE\n"},
            {"--reloader.config-envsubst-file=/tmp/out.yml"},
        }) {
            SidecarCommand cmd = new SidecarCommand();
            new CommandLine(cmd).parseArgs(args);
            try (ComponentRuntime rt = new ComponentRuntime("sidecar")) {
                assertThatThrownBy(() -> cmd.wire(rt)).as(String.join(" ", args)).isInstanceOf(ThanosException.class);
            }
        }
    }
}
