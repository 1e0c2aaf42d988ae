/**
 * TSDB blocks in Prometheus's on-disk layout ({@code <ULID>/meta.json, index, chunks/000001,
 * tombstones}): the meta.json model with Thanos's section, block writing (streaming: series spill
 * to disk, only symbols stay in memory) and reading, tombstones, merging of blocks and per-series
 * verification ({@link io.thanosj.tsdb.block.BlockCheck}). Formats follow prometheus/prometheus {@code tsdb/docs/format/*.md}.
 * Corrupt input raises {@link io.thanosj.model.ThanosException} naming the block, file and offset
 * or field. Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.tsdb.block;
