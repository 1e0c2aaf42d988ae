package io.thanosj.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The interleaved avg_over_time gives exactly the bits of the one-window kernel. */
@Tag("unit")
class TestAvgOverTimeWindows {
    @Test
    void sameBitsAsOneWindowAtATime() {
        Random rnd = new Random(11);
        double[] specials = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.0, -0.0, 1e308, -1e308};
        for (int round = 0; round < 500; round++) {
            int n = 1 + rnd.nextInt(400);
            double[] vs = new double[n];
            for (int i = 0; i < n; i++) {
                vs[i] = rnd.nextInt(20) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextGaussian() * 1e6;
            }
            int k = rnd.nextInt(40);
            int[] lo = new int[k];
            int[] hi = new int[k];
            for (int j = 0; j < k; j++) {
                lo[j] = rnd.nextInt(n);
                hi[j] = lo[j] + 1 + rnd.nextInt(n - lo[j]);
            }
            double[] got = new double[k];
            RangeKernels.avgOverTimeWindows(vs, lo, hi, k, got);
            Window w = new Window();
            w.vs = vs;
            for (int j = 0; j < k; j++) {
                w.lo = lo[j];
                w.hi = hi[j];
                RangeKernels.avgOverTime(w);
                assertThat(Double.doubleToRawLongBits(got[j])).as("round %d window %d", round, j)
                        .isEqualTo(Double.doubleToRawLongBits(w.result));
            }
        }
    }
}
