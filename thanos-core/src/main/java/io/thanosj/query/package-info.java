/**
 * The querier's side of the StoreAPI: turns the proxy's series streams into the PromQL engine's
 * {@link io.thanosj.promql.storage.Queryable}, decoding chunks lazily into primitive sample
 * iterators, applying deduplication and the per-request options (partial response, replica
 * labels, resolution). Downsampled chunks are read in the {@code ChunkView} the enclosing PromQL
 * function asks for, as Thanos's querier reads them; raw chunks always as they are.
 */
package io.thanosj.query;
