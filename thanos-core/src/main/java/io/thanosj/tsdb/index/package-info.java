/**
 * The index file, format v2 (prometheus/prometheus {@code tsdb/docs/format/index.md}):
 * {@link io.thanosj.tsdb.index.IndexWriter}, a stage machine producing Prometheus 2.42's exact
 * layout; {@link io.thanosj.tsdb.index.IndexReader}, which decodes through a
 * {@link io.thanosj.tsdb.encoding.ByteSource} (memory-mapped file or bucket ranges); and
 * {@link io.thanosj.tsdb.index.Postings} with their set algebra in
 * {@link io.thanosj.tsdb.index.PostingsOps}. Series references are offset/16 as unsigned 32-bit values.
 * Corruption raises {@link io.thanosj.model.ThanosException} naming file and offset. Nothing here
 * accepts or returns null unless a method says so.
 */
package io.thanosj.tsdb.index;
