package io.thanosj.promql;

import io.thanosj.promql.engine.Engine;
import io.thanosj.promql.engine.EngineOptions;
import io.thanosj.promql.engine.QueryResult;
import io.thanosj.promql.storage.InMemoryStorage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Grafana-style dashboard queries over {@link DashboardData} (13.6k series, 6h at 15s): each query
 * as an instant query at the end and as a 6h range query at a 60s step (361 steps).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class BenchmarkDashboardQueries {
    @Param({
        "sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m]))",
        "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])))",
        "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
        "histogram_quantile(0.99, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))",
        "sum by (job) (rate(http_request_duration_seconds_count[5m]))",
        "topk(5, sum by (instance) (rate(node_network_receive_bytes_total[5m])))",
        "max_over_time(node_load1[1h])",
        "count(node_filesystem_avail_bytes < 1e11) by (mountpoint)",
    })
    public String query;

    private InMemoryStorage storage;
    private Engine engine;

    @Setup
    public void setup() {
        storage = DashboardData.build();
        engine = new Engine(EngineOptions.defaults().withMaxSamples(500_000_000L));
    }

    @Benchmark
    public QueryResult instant() {
        return engine.instantQuery(storage, query, DashboardData.END_MS).execute();
    }

    @Benchmark
    public QueryResult range6h() {
        return engine.rangeQuery(storage, query, 0, DashboardData.END_MS, 60_000).execute();
    }
}
