package io.thanosj.promql.engine;

/** Element-wise functions of one instant vector; all of them drop the metric name. */
enum MathFunction {
    ABS, CEIL, FLOOR, EXP, SQRT, LN, LOG2, LOG10, SGN, DEG, RAD,
    SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH, ASINH, ACOSH, ATANH;

    static MathFunction of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    double apply(double v) {
        return switch (this) {
            case ABS -> Math.abs(v);
            case CEIL -> Math.ceil(v);
            case FLOOR -> Math.floor(v);
            case EXP -> Math.exp(v);
            case SQRT -> Math.sqrt(v);
            case LN -> Math.log(v);
            case LOG2 -> GoMath.log2(v);
            case LOG10 -> Math.log10(v);
            case SGN -> v < 0 ? -1 : v > 0 ? 1 : v;
            case DEG -> v * 180 / Math.PI;
            case RAD -> v * Math.PI / 180;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case TAN -> Math.tan(v);
            case ASIN -> Math.asin(v);
            case ACOS -> Math.acos(v);
            case ATAN -> Math.atan(v);
            case SINH -> Math.sinh(v);
            case COSH -> Math.cosh(v);
            case TANH -> Math.tanh(v);
            case ASINH -> GoMath.asinh(v);
            case ACOSH -> GoMath.acosh(v);
            case ATANH -> GoMath.atanh(v);
        };
    }

    StepVector apply(StepVector in) {
        for (StepSeries s : in.series) {
            double[] v = s.v;
            for (int i = 0; i < v.length; i++) {
                v[i] = apply(v[i]);
            }
        }
        return StepVector.dropMetricNames(in.steps, in.series);
    }
}
