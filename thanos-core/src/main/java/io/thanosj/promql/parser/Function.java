package io.thanosj.promql.parser;

import static io.thanosj.promql.parser.ValueType.MATRIX;
import static io.thanosj.promql.parser.ValueType.SCALAR;
import static io.thanosj.promql.parser.ValueType.STRING;
import static io.thanosj.promql.parser.ValueType.VECTOR;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PromQL function signature: argument types, how many trailing arguments are optional
 * ({@link #variadic()}: 0 none, n up to n more, -1 unlimited) and the return type. The table holds
 * every function of Prometheus 2.42.
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
    private static final Map<String, Function> TABLE = new TreeMap<>();

    static {
        for (String f : List.of("abs", "ceil", "exp", "floor", "ln", "log10", "log2", "sgn", "sqrt", "deg", "rad",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "sort", "sort_desc", "timestamp", "absent", "histogram_count", "histogram_sum")) {
            def(f, 0, VECTOR, VECTOR);
        }
        for (String f : List.of("absent_over_time", "present_over_time", "avg_over_time", "count_over_time",
                "last_over_time", "max_over_time", "min_over_time", "stddev_over_time", "stdvar_over_time",
                "sum_over_time", "changes", "resets", "delta", "deriv", "idelta", "increase", "irate", "rate")) {
            def(f, 0, VECTOR, MATRIX);
        }
        for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            def(f, 1, VECTOR, VECTOR);
        }
        def("clamp", 0, VECTOR, VECTOR, SCALAR, SCALAR);
        def("clamp_max", 0, VECTOR, VECTOR, SCALAR);
        def("clamp_min", 0, VECTOR, VECTOR, SCALAR);
        def("histogram_fraction", 0, VECTOR, SCALAR, SCALAR, VECTOR);
        def("histogram_quantile", 0, VECTOR, SCALAR, VECTOR);
        def("holt_winters", 0, VECTOR, MATRIX, SCALAR, SCALAR);
        def("label_join", -1, VECTOR, VECTOR, STRING, STRING, STRING);
        def("label_replace", 0, VECTOR, VECTOR, STRING, STRING, STRING, STRING);
        def("pi", 0, SCALAR);
        def("predict_linear", 0, VECTOR, MATRIX, SCALAR);
        def("quantile_over_time", 0, VECTOR, SCALAR, MATRIX);
        def("round", 1, VECTOR, VECTOR, SCALAR);
        def("scalar", 0, SCALAR, VECTOR);
        def("time", 0, SCALAR);
        def("vector", 0, VECTOR, SCALAR);
    }

    private static void def(String name, int variadic, ValueType ret, ValueType... args) {
        TABLE.put(name, new Function(name, List.of(args), variadic, ret));
    }

    public Function {
        argTypes = List.copyOf(argTypes);
    }

    /** The function with this name, or null. */
    public static Function lookup(String name) {
        return TABLE.get(name);
    }

    /** All known functions by name. */
    public static Map<String, Function> all() {
        return Collections.unmodifiableMap(TABLE);
    }
}
