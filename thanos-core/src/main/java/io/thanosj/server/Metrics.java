package io.thanosj.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Builds a component's registry: JVM and process metrics plus {@code thanos_build_info}. */
public final class Metrics {
    private Metrics() {}

    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new ProcessMetrics().bindTo(r);
        Gauge.builder("thanos.build.info", () -> 1)
                .description("A metric with a constant '1' value labeled by version, revision, branch, and goversion from which thanos was built.")
                .tag("version", Version.VERSION).tag("revision", Version.REVISION).tag("branch", "main")
                .tag("goversion", "java" + System.getProperty("java.version"))
                .register(r);
        return r;
    }
}
