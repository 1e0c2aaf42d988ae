/**
 * The PromQL evaluator. {@link io.thanosj.promql.engine.Engine} creates
 * {@link io.thanosj.promql.engine.Query}s for instant and range evaluation over a
 * {@link io.thanosj.promql.storage.Queryable}; results are columnar
 * {@link io.thanosj.promql.engine.QueryResult}s. All failures are {@link io.thanosj.model.ThanosException}s.
 *
 * <p>Semantics are Prometheus 2.42's: 5m lookback, staleness markers, closed range windows
 * {@code [t - range, t]}, extrapolated rate, step-invariant subtrees evaluated once, the
 * duplicate-labelset and many-to-many errors, instant result order. The shared conformance scripts,
 * a differential test against results recorded from Prometheus 2.42 and a range-versus-instant
 * test pin this down.
 *
 * <p>Evaluation model. Each node is evaluated for all steps of the query in one call: a series is a
 * {@code double[]} of values plus a presence bitmap ({@code StepSeries}); selectors read each
 * series' samples once into primitive arrays and range functions slide two indexes over them, so
 * there are no per-sample objects. Per-series work (label sets, group ids, join signatures, which
 * are numbered from allocation-free label hashes) happens once per query; per-step work touches
 * arrays only. DESIGN.md sketches operators that produce batches of N steps; we evaluate the whole
 * range per node instead, as Prometheus's {@code rangeEval} does, because per-series work would
 * otherwise repeat per batch and subqueries would need their inner grid per batch. Memory stays
 * bounded by the sample limit, which counts every step slot held.
 */
package io.thanosj.promql.engine;
