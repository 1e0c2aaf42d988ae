package io.thanosj.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Go's shortest formatting checked three ways: against outputs of Go's strconv written down here,
 * against the definition (parses back, no shorter decimal parses back, closest among the shortest;
 * decided with exact BigDecimal arithmetic) over a million random doubles, and for layout against
 * BigDecimal's own plain and scientific renderings of the same digits.
 */
@Tag("unit")
class TestGoFloatFormat {
    private static final BigDecimal HALF = new BigDecimal("0.5");

    @Test
    void knownGoOutputs() {
        // strconv.FormatFloat(v, 'f'|'e'|'g', -1, 64)
        String[][] table = {
            // v, 'f', 'e', 'g'
            {"0.1", "0.1", "1e-01", "0.1"},
            {"1e21", "1000000000000000000000", "1e+21", "1e+21"},
            {"1e-7", "0.0000001", "1e-07", "1e-07"},
            {"123456789012345680000", "123456789012345680000", "1.2345678901234568e+20", "1.2345678901234568e+20"},
            {"5e-324", "0." + "0".repeat(323) + "5", "5e-324", "5e-324"},
            {"1e-323", "0." + "0".repeat(322) + "1", "1e-323", "1e-323"},
            {"1.7976931348623157e308", "17976931348623157" + "0".repeat(292), "1.7976931348623157e+308", "1.7976931348623157e+308"},
            {"2.2250738585072014e-308", "0." + "0".repeat(307) + "22250738585072014", "2.2250738585072014e-308", "2.2250738585072014e-308"},
            {"2.82879384806159e17", "282879384806159000", "2.82879384806159e+17", "2.82879384806159e+17"},
            {"1e23", "100000000000000000000000", "1e+23", "1e+23"},
            {"-2.5e-10", "-0.00000000025", "-2.5e-10", "-2.5e-10"},
            {"1.5e21", "1500000000000000000000", "1.5e+21", "1.5e+21"},
            {"100", "100", "1e+02", "100"},
            {"100000", "100000", "1e+05", "100000"},
            {"1000000", "1000000", "1e+06", "1e+06"},
            {"0.0001", "0.0001", "1e-04", "0.0001"},
            {"0.00001", "0.00001", "1e-05", "1e-05"},
            {"123.456", "123.456", "1.23456e+02", "123.456"},
            {"9007199254740993", "9007199254740992", "9.007199254740992e+15", "9.007199254740992e+15"},
            {"0.3", "0.3", "3e-01", "0.3"},
            // exactly halfway between two shortest candidates: half to even
            {"731520487015047.75", "731520487015047.8", "7.315204870150478e+14", "7.315204870150478e+14"},
            {"1.78813934326171875e-7", "0.00000017881393432617188", "1.7881393432617188e-07", "1.7881393432617188e-07"},
            {"1e100", "1" + "0".repeat(100), "1e+100", "1e+100"},
            {"33.333333333333336", "33.333333333333336", "3.3333333333333336e+01", "33.333333333333336"},
            {"0", "0", "0e+00", "0"},
            {"-0", "-0", "-0e+00", "-0"},
            {"NaN", "NaN", "NaN", "NaN"},
            {"+Inf", "+Inf", "+Inf", "+Inf"},
            {"-Inf", "-Inf", "-Inf", "-Inf"},
        };
        for (String[] row : table) {
            double v = switch (row[0]) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(row[0]);
            };
            assertThat(GoFloatFormat.formatF(v)).as("'f' of %s", row[0]).isEqualTo(row[1]);
            assertThat(GoFloatFormat.formatE(v)).as("'e' of %s", row[0]).isEqualTo(row[2]);
            assertThat(GoFloatFormat.formatG(v)).as("'g' of %s", row[0]).isEqualTo(row[3]);
        }
    }

    /** Doubles whose JDK 17 Double.toString has a digit too many (JDK-4511638); Go prints the shortest. */
    @Test
    void shorterThanJdk17WhereItIsNotShortest() {
        Object[][] cases = {
            {2.82879384806159E17, "2.82879384806159e+17"},
            {1.93125733498705376E17, "1.9312573349870538e+17"},
            {9.35538E20, "9.35538e+20"},
            {1.9512E22, "1.9512e+22"},
            {6.84798354874497E18, "6.84798354874497e+18"},
            {5.92006E20, "5.92006e+20"},
            {4.88928E22, "4.88928e+22"},
            {6.6823E20, "6.6823e+20"},
            {1e23, "1e+23"},
            {2e23, "2e+23"},
        };
        for (Object[] c : cases) {
            double v = (Double) c[0];
            assertThat(GoFloatFormat.formatE(v)).isEqualTo(c[1]);
            checkDefinition(v, GoFloatFormat.formatE(v));
        }
    }

    @Test
    void millionRandomDoublesAreShortestClosestAndRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(20261122);
        char[] buf = new char[GoFloatFormat.MAX_CHARS];
        for (int i = 0; i < 1_000_000; i++) {
            double v = randomDouble(rnd, i);
            if (!Double.isFinite(v)) {
                continue;
            }
            String e = new String(buf, 0, GoFloatFormat.appendE(v, buf, 0));
            checkDefinition(v, e);
            // 'f' and 'g' must lay out the same digits: compare with BigDecimal's renderings of 'e'.
            String f = new String(buf, 0, GoFloatFormat.appendF(v, buf, 0));
            assertThat(f).as("'f' of %s", e).isEqualTo(plainOf(v, e));
            if (i % 16 == 0) {
                String g = new String(buf, 0, GoFloatFormat.appendG(v, buf, 0));
                int exp = v == 0 ? 0 : new BigDecimal(e).precision() - new BigDecimal(e).scale() - 1;
                assertThat(g).as("'g' of %s", e).isEqualTo(exp < -4 || exp >= 6 ? e : f);
            }
        }
    }

    @Test
    void edgesOfBinadesAndPowersOfTen() {
        for (int bq = 0; bq < 2047; bq++) {
            for (long t : new long[] {0, 1, 2, 3, (1L << 52) - 1, (1L << 51)}) {
                double v = Double.longBitsToDouble((long) bq << 52 | t);
                if (v != 0) {
                    checkDefinition(v, GoFloatFormat.formatE(v));
                    if (v < Double.MAX_VALUE) {
                        checkDefinition(Math.nextUp(v), GoFloatFormat.formatE(Math.nextUp(v)));
                    }
                }
            }
        }
        for (int p = -323; p <= 308; p++) {
            double v = Double.parseDouble("1e" + p);
            checkDefinition(v, GoFloatFormat.formatE(v));
            checkDefinition(Math.nextDown(v), GoFloatFormat.formatE(Math.nextDown(v)));
            checkDefinition(Math.nextUp(v), GoFloatFormat.formatE(Math.nextUp(v)));
        }
    }

    @Test
    void integersAreWrittenWhole() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            long x = rnd.nextLong(1L << 53) >> rnd.nextInt(53);
            assertThat(GoFloatFormat.formatF(x)).isEqualTo(Long.toString(x));
            assertThat(GoFloatFormat.formatF(-x)).isEqualTo(x == 0 ? "0" : "-" + x);
        }
    }

    @Test
    void floorLogarithmsAreExactOverTheRangeUsed() {
        for (int q = -1100; q <= 1000; q++) {
            int k = GoFloatFormat.flog10pow2(q);
            // 10^k <= 2^q < 10^(k+1)
            assertThat(cmp(1, q, k)).as("flog10pow2(%d)", q).isGreaterThanOrEqualTo(0);
            assertThat(cmp(1, q, k + 1)).as("flog10pow2(%d)", q).isLessThan(0);
            int k3 = GoFloatFormat.flog10ThreeQuartersPow2(q);
            // 10^k3 <= 3 2^(q-2) < 10^(k3+1)
            assertThat(cmp(3, q - 2, k3)).as("flog10ThreeQuartersPow2(%d)", q).isGreaterThanOrEqualTo(0);
            assertThat(cmp(3, q - 2, k3 + 1)).as("flog10ThreeQuartersPow2(%d)", q).isLessThan(0);
        }
        for (int e = -340; e <= 340; e++) {
            int r = GoFloatFormat.flog2pow10(e);
            // 2^r <= 10^e < 2^(r+1)
            assertThat(cmp(1, r, e)).as("flog2pow10(%d)", e).isLessThanOrEqualTo(0);
            assertThat(cmp(1, r + 1, e)).as("flog2pow10(%d)", e).isGreaterThan(0);
        }
    }

    @Test
    void digitCountAtEveryPowerOfTen() {
        long p = 1;
        for (int n = 1; n <= 18; n++) {
            assertThat(GoFloatFormat.digitCount(p)).isEqualTo(n);
            assertThat(GoFloatFormat.digitCount(p * 10 - 1)).isEqualTo(n);
            p *= 10;
        }
    }

    /** Compares {@code a 2^i} with {@code 10^j} exactly. */
    private static int cmp(long a, int i, int j) {
        BigInteger l = BigInteger.valueOf(a);
        BigInteger r = BigInteger.ONE;
        l = i >= 0 ? l.shiftLeft(i) : l;
        r = i < 0 ? r.shiftLeft(-i) : r;
        r = j >= 0 ? r.multiply(BigInteger.TEN.pow(j)) : r;
        l = j < 0 ? l.multiply(BigInteger.TEN.pow(-j)) : l;
        return l.compareTo(r);
    }

    static double randomDouble(SplittableRandom rnd, int i) {
        return switch (i % 8) {
            case 0, 1 -> Double.longBitsToDouble(rnd.nextLong());
            case 2 -> Double.longBitsToDouble(rnd.nextLong(1L << 52)); // subnormal
            case 3 -> rnd.nextInt(1_000_000) / 1000.0; // a rate with three decimals
            case 4 -> rnd.nextDouble(); // a ratio
            case 5 -> rnd.nextLong(1L << 40) / 60.0; // a counter's per-second rate over a minute
            case 6 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30)); // any magnitude
            default -> (double) rnd.nextLong(1L << 62); // a large counter, not always exact
        };
    }

    /**
     * {@code s} must parse back to {@code v}; no decimal of fewer significant digits may lie in the
     * rounding interval of {@code v}; and of the decimals with as many digits that do, {@code s} is
     * the closest to {@code v}. All decided on exact values.
     */
    static void checkDefinition(double v, String s) {
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(s))).as("%s parses back to %s", s, v)
                .isEqualTo(Double.doubleToRawLongBits(v));
        if (v == 0) {
            return;
        }
        double a = Math.abs(v);
        BigDecimal x = new BigDecimal(a);
        BigDecimal lo = x.add(new BigDecimal(Math.nextDown(a))).multiply(HALF);
        BigDecimal hi = a == Double.MAX_VALUE ? x.add(new BigDecimal(Math.ulp(a)).multiply(HALF))
                : x.add(new BigDecimal(Math.nextUp(a))).multiply(HALF);
        boolean closed = (Double.doubleToRawLongBits(a) & 1) == 0;
        BigDecimal d = new BigDecimal(s).abs();
        assertThat(in(d, lo, hi, closed)).as("%s in the rounding interval of %s", s, v).isTrue();
        int n = d.stripTrailingZeros().precision();
        if (n > 1) {
            for (RoundingMode m : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal shorter = x.round(new MathContext(n - 1, m));
                assertThat(in(shorter, lo, hi, closed)).as("%s is shorter than %s and rounds to %s", shorter, s, v).isFalse();
            }
        }
        BigDecimal down = x.round(new MathContext(n, RoundingMode.FLOOR));
        BigDecimal up = x.round(new MathContext(n, RoundingMode.CEILING));
        BigDecimal best;
        if (!in(down, lo, hi, closed)) {
            best = up;
        } else if (!in(up, lo, hi, closed)) {
            best = down;
        } else {
            // A tie happens when v has exactly n + 1 digits ending in 5: Go rounds half to even.
            int c = x.subtract(down).compareTo(up.subtract(x));
            best = c < 0 || c == 0 && !down.unscaledValue().testBit(0) ? down : up;
        }
        assertThat(d.compareTo(best)).as("%s is the closest %d-digit decimal to %s, not %s", s, n, v, best).isZero();
    }

    private static boolean in(BigDecimal y, BigDecimal lo, BigDecimal hi, boolean closed) {
        int l = y.compareTo(lo);
        int h = y.compareTo(hi);
        return closed ? l >= 0 && h <= 0 : l > 0 && h < 0;
    }

    /** Go's 'f' layout of the digits in {@code e}, rendered by BigDecimal. */
    private static String plainOf(double v, String e) {
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        return new BigDecimal(e).stripTrailingZeros().toPlainString();
    }
}
