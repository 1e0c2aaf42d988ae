package io.thanosj.promql.engine;

/** A scalar per step; scalars always have a value. */
final class StepScalar implements Value {
    final double[] v;

    StepScalar(double[] v) {
        this.v = v;
    }

    static StepScalar constant(double x, int steps) {
        double[] v = new double[steps];
        java.util.Arrays.fill(v, x);
        return new StepScalar(v);
    }
}
