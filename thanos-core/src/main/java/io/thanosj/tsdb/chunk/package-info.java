/**
 * Chunks as Prometheus stores them (prometheus/prometheus {@code tsdb/docs/format/chunks.md}):
 * {@link io.thanosj.tsdb.chunk.XorChunk} with its bit-exact {@link io.thanosj.tsdb.chunk.XorAppender}
 * and a reusable primitive iterator, and the chunk segment files ({@code chunks/000001}, ...) written by
 * {@link io.thanosj.tsdb.chunk.ChunkWriter} and read by {@link io.thanosj.tsdb.chunk.ChunkReader}.
 * A chunk reference is {@code segmentIndex << 32 | offset}. Corrupt data raises
 * {@link io.thanosj.model.ThanosException} naming file and offset. Nothing here accepts or returns
 * null unless a method says so.
 */
package io.thanosj.tsdb.chunk;
