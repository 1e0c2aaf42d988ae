/**
 * Byte-level helpers shared by the TSDB formats: {@link io.thanosj.tsdb.encoding.ByteSource}, the
 * small interface through which index and chunk decoders read a memory-mapped file or byte ranges
 * fetched from a bucket; {@link io.thanosj.tsdb.encoding.Decbuf}, a bounds-checked big-endian and
 * varint cursor that names file and offset in its errors; and {@link io.thanosj.tsdb.encoding.Encbuf},
 * its growable counterpart for writing. Varints are Go's {@code encoding/binary} ones.
 * Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.tsdb.encoding;
