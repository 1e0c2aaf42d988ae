/**
 * Thanos's shipper ({@link io.thanosj.shipper.Shipper}): uploads the blocks a local TSDB
 * (Prometheus, receive, rule) cuts to object storage, each once, meta.json last, recording them in
 * Thanos's {@code thanos.shipper.json}. Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.shipper;
