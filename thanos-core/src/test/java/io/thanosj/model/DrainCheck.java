package io.thanosj.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Checks an iterator's {@link SampleIterator#drain} against its own {@code next}: after a random
 * seek, draining up to a random max time in random-sized pieces copies exactly the samples that
 * {@code next} visits, and leaves the iterator on the first sample it did not copy.
 */
public final class DrainCheck {
    private DrainCheck() {}

    public static void check(Supplier<SampleIterator> fresh, Random rnd, int rounds) {
        List<long[]> all = new ArrayList<>();
        SampleIterator ref = fresh.get();
        while (ref.next()) {
            all.add(new long[] {ref.t(), Double.doubleToRawLongBits(ref.v())});
        }
        long lo = all.isEmpty() ? 0 : all.get(0)[0];
        long hi = all.isEmpty() ? 100 : all.get(all.size() - 1)[0];
        for (int round = 0; round < rounds; round++) {
            long target = lo - 10 + (long) (rnd.nextDouble() * (hi - lo + 20));
            long maxt = rnd.nextInt(8) == 0 ? Long.MAX_VALUE : target + (long) (rnd.nextDouble() * (hi - target + 20));
            int first = 0;
            while (first < all.size() && all.get(first)[0] < target) {
                first++;
            }
            SampleIterator it = fresh.get();
            boolean on = it.seek(target);
            assertThat(on).as("seek %d", target).isEqualTo(first < all.size());
            if (!on) {
                continue;
            }
            int piece = rnd.nextBoolean() ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(400);
            long[] ts = new long[first + all.size() + 1];
            double[] vs = new double[ts.length];
            int n = 0;
            boolean ended = false;
            while (true) {
                int len = Math.min(piece, ts.length - n);
                int r = it.drain(maxt, ts, vs, n, len);
                if (r < 0) {
                    n += -r - 1;
                    ended = true;
                    break;
                }
                n += r;
                if (r < len) {
                    break;
                }
                // A full piece: the iterator is on the first sample not copied.
                int k = first + n;
                assertThat(k).as("a sample after a full piece").isLessThan(all.size());
                assertThat(it.t()).as("current after a full piece").isEqualTo(all.get(k)[0]);
                if (it.t() > maxt) {
                    break;
                }
            }
            int want = first;
            while (want < all.size() && all.get(want)[0] <= maxt) {
                want++;
            }
            assertThat(n).as("samples drained from %d to %d in pieces of %d", target, maxt, piece).isEqualTo(want - first);
            for (int i = 0; i < n; i++) {
                assertThat(ts[i]).isEqualTo(all.get(first + i)[0]);
                assertThat(Double.doubleToRawLongBits(vs[i])).isEqualTo(all.get(first + i)[1]);
            }
            assertThat(ended).as("ran out of samples").isEqualTo(want == all.size());
            if (!ended) {
                assertThat(it.t()).as("current after the drain").isEqualTo(all.get(want)[0]);
                assertThat(Double.doubleToRawLongBits(it.v())).isEqualTo(all.get(want)[1]);
                // next() goes on from there.
                boolean more = it.next();
                assertThat(more).isEqualTo(want + 1 < all.size());
                if (more) {
                    assertThat(it.t()).isEqualTo(all.get(want + 1)[0]);
                }
            }
        }
    }
}
