package io.thanosj.sidecar;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.prometheus.PromMetadata;
import io.thanosj.server.Prober;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's view of its Prometheus, as in Thanos's {@code runSidecar}: at start it waits for
 * Prometheus (up to {@code --prometheus.ready_timeout}), checks its flags when blocks are uploaded,
 * and loads the external labels, refusing to run without them. Afterwards a heartbeat refreshes
 * labels and time range and moves the sidecar between ready and not ready.
 */
final class PrometheusWatch {
    private static final Logger log = LoggerFactory.getLogger(PrometheusWatch.class);
    private static final String TWO_HOURS = "2h";

    private final PromMetadata meta;
    private final Prober prober;
    private final boolean checkFlags;
    private final AtomicLong up = new AtomicLong();
    private boolean flagsChecked;

    PrometheusWatch(PromMetadata meta, Prober prober, MeterRegistry registry, boolean checkFlags) {
        this.meta = meta;
        this.prober = prober;
        this.checkFlags = checkFlags;
        Gauge.builder("thanos.sidecar.prometheus.up", up, AtomicLong::get)
                .description("Boolean indicator whether the sidecar can reach its Prometheus peer.").register(registry);
    }

    /**
     * One start-up attempt. Returns true once Prometheus answered and the sidecar is ready, false
     * to try again; throws when the sidecar must not run (no external labels, or Prometheus not
     * reachable by {@code deadlineMillis}).
     */
    boolean tryStart(long nowMillis, long deadlineMillis, String readyTimeout) {
        try {
            if (checkFlags && !flagsChecked) {
                checkFlags(meta.client().flags());
                flagsChecked = true;
            }
            meta.refresh();
        } catch (ThanosException e) {
            if (nowMillis >= deadlineMillis) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "wait for prometheus at " + meta.client().base()
                        + ": not reachable within --prometheus.ready_timeout=" + readyTimeout + ": " + e.getMessage(), e);
            }
            prober.notReady("waiting for prometheus at " + meta.client().base() + ": " + e.getMessage());
            log.atWarn().addKeyValue("err", e.getMessage()).log("failed to load prometheus metadata; is Prometheus running? retrying");
            return false;
        }
        Labels ext = meta.labels();
        if (ext.isEmpty()) {
            throw ThanosException.badData("no external labels configured on Prometheus server at " + meta.client().base()
                    + ", uniquely identifying external labels must be configured; see "
                    + "https://thanos.io/tip/thanos/storage.md#external-labels for details");
        }
        log.atInfo().addKeyValue("external_labels", ext.toString()).addKeyValue("prometheus_version", meta.version())
                .log("successfully loaded prometheus external labels");
        up.set(1);
        prober.ready();
        return true;
    }

    /** Heartbeat: refreshes labels and time range; Prometheus unreachable makes the sidecar not ready. */
    void beat() {
        try {
            meta.refresh();
        } catch (ThanosException e) {
            up.set(0);
            prober.notReady("prometheus at " + meta.client().base() + " is unreachable: " + e.getMessage());
            log.atWarn().addKeyValue("err", e.getMessage()).log("updating prometheus metadata failed");
            return;
        }
        up.set(1);
        prober.ready();
    }

    /** Thanos's flag validation, reduced to warnings: blocks must not be compacted before upload. */
    static void checkFlags(Map<String, String> flags) {
        String min = flags.get("storage.tsdb.min-block-duration");
        String max = flags.get("storage.tsdb.max-block-duration");
        if (min == null || max == null) {
            return;
        }
        if (!min.equals(max)) {
            log.atWarn().addKeyValue("min_block_duration", min).addKeyValue("max_block_duration", max)
                    .log("found that TSDB max and min block durations differ; compaction should be disabled "
                            + "(storage.tsdb.min-block-duration = storage.tsdb.max-block-duration), else a block "
                            + "compacted before its upload is missing from the bucket");
        }
        if (!min.equals(TWO_HOURS)) {
            log.atWarn().addKeyValue("block_time", min).log("found that TSDB block time is not 2h. Only 2h block time is recommended.");
        }
    }
}
