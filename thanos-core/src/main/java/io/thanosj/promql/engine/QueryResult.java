package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import io.thanosj.promql.parser.ValueType;
import java.util.List;

/**
 * A query's value: a scalar, a string, an instant vector (instant queries) or a matrix (range
 * queries, or a range selector in an instant query). Values are columnar: no object per sample.
 */
public sealed interface QueryResult
        permits QueryResult.Scalar, QueryResult.Str, QueryResult.Vector, QueryResult.Matrix {

    ValueType type();

    /** Non-fatal problems reported by storage while the query ran. */
    List<String> warnings();

    record Scalar(long t, double v, List<String> warnings) implements QueryResult {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }
    }

    record Str(long t, String v, List<String> warnings) implements QueryResult {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** Series {@code i} has labels {@code labels.get(i)} and value {@code values[i]}, all at time {@code t}. */
    record Vector(long t, List<Labels> labels, double[] values, List<String> warnings) implements QueryResult {
        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        public int size() {
            return labels.size();
        }
    }

    /** Series {@code i} has labels {@code labels.get(i)}, timestamps {@code ts.get(i)} and values {@code vs.get(i)}. */
    record Matrix(List<Labels> labels, List<long[]> ts, List<double[]> vs, List<String> warnings) implements QueryResult {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }

        public int size() {
            return labels.size();
        }
    }
}
