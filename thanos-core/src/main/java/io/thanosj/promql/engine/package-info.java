/**
 * The PromQL evaluator. {@link io.thanosj.promql.engine.Engine} creates
 * {@link io.thanosj.promql.engine.Query}s for instant and range evaluation over a
 * {@link io.thanosj.promql.storage.Queryable}; results are columnar
 * {@link io.thanosj.promql.engine.QueryResult}s. Internally every node is evaluated for all steps of
 * the query at once: a series is a {@code double[]} of values with a presence bitmap, per-series work
 * (label sets, group keys, join signatures) happens once per query, and range functions run over
 * primitive sample arrays. Semantics follow Prometheus 2.42: 5m lookback, staleness markers, closed
 * range windows, extrapolated rate, duplicate-labelset and many-to-many errors, sample limit,
 * timeout and cancellation. All failures are {@link io.thanosj.model.ThanosException}s.
 */
package io.thanosj.promql.engine;
