package io.thanosj.promql;

import io.thanosj.model.Labels;
import io.thanosj.promql.storage.InMemoryStorage;
import java.util.Random;

/**
 * A node-exporter-like fleet plus an HTTP request-duration histogram, 6h at 15s: about 13.6k series
 * and 19.6M samples. Counters grow at per-series rates with occasional resets, gauges wander.
 */
public final class DashboardData {
    public static final long STEP_MS = 15_000;
    public static final int POINTS = 6 * 3600 / 15 + 1;
    public static final long END_MS = (POINTS - 1) * STEP_MS;
    public static final int INSTANCES = 100;
    private static final String[] MODES = {"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"};
    private static final String[] HANDLERS = {"/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/metrics", "/"};
    private static final double[] LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};

    private DashboardData() {}

    public static InMemoryStorage build() {
        InMemoryStorage st = new InMemoryStorage();
        Random r = new Random(1);
        for (int i = 0; i < INSTANCES; i++) {
            String inst = "10.0." + (i / 250) + "." + (i % 250) + ":9100";
            String job = i < 50 ? "node" : "node-edge";
            for (int cpu = 0; cpu < 8; cpu++) {
                for (String mode : MODES) {
                    counter(st, r, Labels.of("__name__", "node_cpu_seconds_total", "instance", inst, "job", job,
                            "cpu", Integer.toString(cpu), "mode", mode), mode.equals("idle") ? 0.8 : 0.03);
                }
            }
            double total = 16e9 + r.nextInt(8) * 8e9;
            gauge(st, r, Labels.of("__name__", "node_memory_MemTotal_bytes", "instance", inst, "job", job), total, 0);
            gauge(st, r, Labels.of("__name__", "node_memory_MemAvailable_bytes", "instance", inst, "job", job),
                    total / 2, total / 1000);
            gauge(st, r, Labels.of("__name__", "node_load1", "instance", inst, "job", job), 2, 0.1);
            for (String dev : new String[] {"eth0", "eth1"}) {
                counter(st, r, Labels.of("__name__", "node_network_receive_bytes_total", "instance", inst, "job", job,
                        "device", dev), 1e6);
            }
            for (String mp : new String[] {"/", "/data"}) {
                gauge(st, r, Labels.of("__name__", "node_filesystem_avail_bytes", "instance", inst, "job", job,
                        "mountpoint", mp), 1e11, 1e6);
            }
            String app = "app-" + (i % 10);
            for (String h : HANDLERS) {
                double rate = 1 + r.nextInt(50);
                double[] cum = new double[LE.length];
                for (int b = 0; b < LE.length; b++) {
                    cum[b] = (b + 1) / (double) LE.length;
                }
                for (int b = 0; b < LE.length; b++) {
                    String le = Double.isInfinite(LE[b]) ? "+Inf" : Double.toString(LE[b]);
                    counter(st, r, Labels.of("__name__", "http_request_duration_seconds_bucket", "instance", inst,
                            "job", app, "handler", h, "le", le), rate * cum[b]);
                }
                counter(st, r, Labels.of("__name__", "http_request_duration_seconds_count", "instance", inst, "job", app,
                        "handler", h), rate);
                counter(st, r, Labels.of("__name__", "http_request_duration_seconds_sum", "instance", inst, "job", app,
                        "handler", h), rate * 0.2);
            }
        }
        return st;
    }

    private static void counter(InMemoryStorage st, Random r, Labels l, double perSecond) {
        double v = r.nextInt(1000);
        for (int i = 0; i < POINTS; i++) {
            if (r.nextInt(20_000) == 0) {
                v = 0; // process restart
            }
            v += perSecond * 15 * (0.5 + r.nextDouble());
            st.append(l, i * STEP_MS, Math.floor(v));
        }
    }

    private static void gauge(InMemoryStorage st, Random r, Labels l, double base, double noise) {
        double v = base;
        for (int i = 0; i < POINTS; i++) {
            v += (r.nextDouble() - 0.5) * noise;
            st.append(l, i * STEP_MS, v);
        }
    }
}
