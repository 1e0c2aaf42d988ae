/**
 * The seam between the PromQL engine and wherever samples live. {@link io.thanosj.promql.storage.Queryable}
 * selects series by label matchers and time range and lists label names and values; the StoreAPI
 * proxy and local TSDB blocks implement it, and {@link io.thanosj.promql.storage.InMemoryStorage} backs
 * tests and benchmarks. Series come out sorted by labels; samples are primitive cursors
 * ({@link io.thanosj.model.SampleIterator}), never sample objects. Nothing here returns null.
 */
package io.thanosj.promql.storage;
