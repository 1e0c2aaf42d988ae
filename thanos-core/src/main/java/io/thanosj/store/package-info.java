/**
 * The StoreAPI: one {@link io.thanosj.store.StoreServer} interface implemented by everything that
 * can select series (bucket store, sidecar, local TSDB, the proxy itself, a remote store over gRPC),
 * a gRPC service adapter ({@link io.thanosj.store.StoreService}, {@link io.thanosj.store.InfoService})
 * and client ({@link io.thanosj.store.GrpcStoreClient}) speaking Thanos's wire format, and the
 * {@link io.thanosj.store.ProxyStore} fan-out that merges the sorted series streams of many stores
 * with a loser tree without buffering whole responses.
 *
 * <p>Series flow as pull cursors ({@link io.thanosj.store.SeriesSet}) so that gRPC flow control
 * reaches back to every source. Deduplication of HA replicas ({@link io.thanosj.store.Dedup})
 * turns merged chunk series into sample iterators with Thanos's penalty algorithm.
 *
 * <p>Series responses do not go through protobuf's message classes: {@link io.thanosj.store.StoreService}
 * writes them with a hand-written encoder straight from labels and chunk bytes, and
 * {@link io.thanosj.store.GrpcStoreClient} decodes them into label sets and chunk columns
 * ({@link io.thanosj.store.SeriesChunks}) that read the received bytes in place. Both are byte for byte
 * what protobuf writes and reads (TestSeriesWire), so Thanos peers see the same wire format. Chunk
 * lists stay {@code List<AggrChunk>}; code that wants the columns checks for {@code SeriesChunks}.
 *
 * <p>Errors are {@link io.thanosj.model.ThanosException}s; {@link io.thanosj.store.GrpcErrors} is
 * the one place that maps them to and from gRPC statuses. Nothing here accepts or returns null
 * unless a method says so.
 */
package io.thanosj.store;
