package io.thanosj.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code process_*} metrics Prometheus's Go client exports, so that the same dashboards and
 * alerts (CPU, RSS, file descriptors) work for our components.
 */
final class ProcessMetrics implements MeterBinder {
    private static final long PAGE_SIZE = 4096;

    // Gauges hold their state object weakly, so state is captured in suppliers instead.
    @Override
    public void bindTo(MeterRegistry r) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            FunctionCounter.builder("process.cpu.seconds", sun, b -> b.getProcessCpuTime() / 1e9)
                    .description("Total user and system CPU time spent in seconds.").register(r);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Gauge.builder("process.open.fds", unix::getOpenFileDescriptorCount)
                    .description("Number of open file descriptors.").register(r);
            Gauge.builder("process.max.fds", unix::getMaxFileDescriptorCount)
                    .description("Maximum number of open file descriptors.").register(r);
        }
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        Gauge.builder("process.start.time.seconds", () -> start / 1000.0)
                .description("Start time of the process since unix epoch in seconds.").register(r);
        Path statm = Path.of("/proc/self/statm");
        if (Files.isReadable(statm)) {
            Gauge.builder("process.resident.memory.bytes", () -> statmField(statm, 1))
                    .description("Resident memory size in bytes.").register(r);
            Gauge.builder("process.virtual.memory.bytes", () -> statmField(statm, 0))
                    .description("Virtual memory size in bytes.").register(r);
        }
    }

    private static double statmField(Path statm, int i) {
        try {
            String[] f = Files.readString(statm).trim().split(" ");
            return Long.parseLong(f[i]) * PAGE_SIZE;
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
