/**
 * PromQL as Prometheus 2.42 defines it: {@link io.thanosj.promql.parser.PromQLParser} turns a query into
 * an immutable {@link io.thanosj.promql.parser.Expr} tree and type-checks it; {@code toString()} prints
 * a tree back in Prometheus's format; {@link io.thanosj.promql.parser.Function} is the table of
 * function signatures. Errors are {@link io.thanosj.promql.parser.ParseException}s (a
 * {@link io.thanosj.model.ThanosException} with code BAD_DATA) worded and positioned like
 * Prometheus's. Nothing here returns null except where a method says so ({@code Function.lookup},
 * {@code AggregateExpr.param}, {@code BinaryExpr.matching}).
 */
package io.thanosj.promql.parser;
