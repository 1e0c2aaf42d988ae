package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestInstrumentedBucket {
    @TempDir
    Path dir;

    @Test
    void exportsThanosMetricNamesInPrometheusFormat() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong now = new AtomicLong();
        // Every clock read advances 5 ms, so each operation takes 5 ms.
        Bucket b = new InstrumentedBucket(new FilesystemBucket(dir), registry, () -> now.getAndAdd(5_000_000));
        b.upload("01ABC/meta.json", BucketContract.text("{}"));
        try (InputStream in = b.get("01ABC/meta.json")) {
            in.readAllBytes();
        }
        b.exists("01ABC/meta.json");
        b.iter("", true, n -> { });
        assertThatThrownBy(() -> b.attributes("01ABC/deletion-mark.json")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> b.getRange("01ABC/meta.json", -1, 1));
        b.delete("01ABC/meta.json");

        String text = registry.scrape();
        String bkt = "bucket=\"fs: " + dir + "\"";
        assertThat(text)
                .contains("# TYPE thanos_objstore_bucket_operations_total counter")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"get\"} 1")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"get_range\"} 1")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"upload\"} 1")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"iter\"} 1")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"exists\"} 1")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"attributes\"} 1")
                .contains("thanos_objstore_bucket_operations_total{" + bkt + ",operation=\"delete\"} 1")
                // A bad range is a failure; a missing marker is expected, not a failure.
                .contains("thanos_objstore_bucket_operation_failures_total{" + bkt + ",operation=\"get_range\"} 1")
                .contains("thanos_objstore_bucket_operation_failures_total{" + bkt + ",operation=\"attributes\"} 0")
                .contains("# TYPE thanos_objstore_bucket_operation_duration_seconds histogram")
                .contains("thanos_objstore_bucket_operation_duration_seconds_bucket{" + bkt + ",operation=\"get\",le=\"0.001\"} 0")
                .contains("thanos_objstore_bucket_operation_duration_seconds_bucket{" + bkt + ",operation=\"get\",le=\"0.01\"} 1")
                .contains("thanos_objstore_bucket_operation_duration_seconds_bucket{" + bkt + ",operation=\"upload\",le=\"120.0\"} 1")
                .contains("thanos_objstore_bucket_operation_duration_seconds_count{" + bkt + ",operation=\"attributes\"} 0")
                .contains("thanos_objstore_bucket_operation_fetched_bytes_total{" + bkt + ",operation=\"get\"} 2")
                .contains("thanos_objstore_bucket_last_successful_upload_time{" + bkt + "}");
    }
}
