package io.thanosj.promql.engine;

/** What evaluating a node yields: a scalar or instant vector per step, a string, or (top level only) raw ranges. */
sealed interface Value permits StepVector, StepScalar, StringValue, RangeValue {}
