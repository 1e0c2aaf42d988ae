package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import java.util.List;

/** Raw samples of a range selector or subquery at one instant: the result of an instant query for a matrix. */
record RangeValue(List<Labels> labels, List<long[]> ts, List<double[]> vs) implements Value {}
