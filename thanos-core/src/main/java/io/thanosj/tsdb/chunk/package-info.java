/**
 * Chunks as Prometheus stores them (prometheus/prometheus {@code tsdb/docs/format/chunks.md}):
 * {@link io.thanosj.tsdb.chunk.XorChunk} with its bit-exact {@link io.thanosj.tsdb.chunk.XorAppender}
 * and a reusable primitive iterator, and the chunk segment files ({@code chunks/000001}, ...) written by
 * {@link io.thanosj.tsdb.chunk.ChunkWriter} and read by {@link io.thanosj.tsdb.chunk.ChunkReader}.
 * A chunk reference is {@code segmentIndex << 32 | offset}.
 *
 * <p>{@code XorChunk.iterator(reuse)} is the one way to read samples: pass the previous iterator back
 * to reuse it. At its first {@code next} or {@code seek} the iterator copies the chunk's bit stream
 * (into a buffer with room after it, so that its loads need no bounds tests) and decodes up to 256 samples at a time into
 * its own arrays: the whole of a usual 120-sample chunk at once. Its buffers grow to the largest chunk
 * it has read; it allocates nothing per sample, and the chunk's bytes may change once it has started.
 *
 * <p>Corrupt data raises {@link io.thanosj.model.ThanosException} naming file and offset; a chunk
 * iterator first serves the samples before the bad one, as Prometheus's does. Nothing here accepts
 * or returns null unless a method says so.
 */
package io.thanosj.tsdb.chunk;
