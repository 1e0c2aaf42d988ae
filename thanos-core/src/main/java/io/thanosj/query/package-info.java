/**
 * The querier's side of the StoreAPI: turns the proxy's series streams into the PromQL engine's
 * {@link io.thanosj.promql.storage.Queryable}, decoding chunks lazily into primitive sample
 * iterators, applying deduplication and the per-request options (partial response, replica
 * labels, resolution).
 */
package io.thanosj.query;
