package io.thanosj.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.promql.parser.GoStrconv;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fast value formatter writes exactly what GoStrconv.formatFloatPlain (checked against Go) writes. */
@Tag("unit")
class TestPromJson {
    @Test
    void sameTextAsTheReferenceFormatter() {
        Random rnd = new Random(3);
        double[] fixed = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 0x1p53, 0x1p53 - 1, 0x1p53 + 2, 1e15, 1e16, 1e21, 1e22,
            1e23, 0.1, 0.001, 1e-7, 123.456, 8e9, 2.82879384806159E17, 5e-324, 1.7976931348623157E308, 100, 1e7, 9999999.5};
        for (double v : fixed) {
            check(v);
            check(-v);
        }
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(rnd.nextLong());
                case 1 -> rnd.nextInt(1_000_000) / 100.0;
                case 2 -> (double) rnd.nextLong();
                case 3 -> Math.floor(rnd.nextDouble() * 1e12);
                default -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
            };
            check(v);
        }
    }

    private static void check(double v) {
        assertThat(PromJson.formatValue(v)).as("%s (bits %x)", v, Double.doubleToRawLongBits(v))
                .isEqualTo(GoStrconv.formatFloatPlain(v));
    }
}
