/**
 * Talking to a Prometheus server, for the sidecar: {@link io.thanosj.prometheus.PromClient} (its
 * HTTP API: config, flags, lowest timestamp, labels, series, remote read, reload),
 * {@link io.thanosj.prometheus.PromMetadata} (external labels and time range, refreshed by a
 * heartbeat) and {@link io.thanosj.prometheus.PrometheusStore}, the StoreAPI over remote read.
 *
 * <p>Remote read uses the {@code STREAMED_XOR_CHUNKS} response type: frames are read one at a
 * time and decoded in place, and Prometheus's chunks are passed on without being decoded or
 * re-encoded. Series get the external labels and are re-sorted by a bounded look-ahead instead of
 * buffering the whole response (see {@code ExternalLabels}).
 *
 * <p>Failures are {@link io.thanosj.model.ThanosException}s naming the Prometheus URL; an
 * unreachable Prometheus is {@link io.thanosj.model.ErrorCode#UNAVAILABLE}. Nothing here accepts or
 * returns null unless a method says so.
 */
package io.thanosj.prometheus;
