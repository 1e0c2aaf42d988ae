package io.thanosj.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestPostings {
    private static long[] randomSorted(Random r, int n, int range) {
        TreeSet<Long> s = new TreeSet<>();
        while (s.size() < n) {
            s.add((long) r.nextInt(range));
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    private static Postings bigEndian(long[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 + a.length * 4);
        for (long v : a) {
            b.putInt(4 + 0, 0).putInt((int) v);
        }
        ByteBuffer c = ByteBuffer.allocate(a.length * 4 + 3);
        c.position(3);
        for (long v : a) {
            c.putInt((int) v);
        }
        return a.length == 0 ? PostingsOps.EMPTY : new BigEndianPostings(c, 3, a.length);
    }

    @Test
    void setOperationsMatchBruteForce() {
        Random r = new Random(11);
        for (int round = 0; round < 300; round++) {
            int k = 1 + r.nextInt(4);
            int range = 1 + r.nextInt(2000);
            List<long[]> lists = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                lists.add(randomSorted(r, r.nextInt(Math.min(range, 300) + 1), range));
            }
            TreeSet<Long> inter = null;
            TreeSet<Long> union = new TreeSet<>();
            for (long[] l : lists) {
                TreeSet<Long> s = new TreeSet<>();
                for (long v : l) {
                    s.add(v);
                }
                union.addAll(s);
                if (inter == null) {
                    inter = s;
                } else {
                    inter.retainAll(s);
                }
            }
            boolean be = round % 2 == 0;
            assertThat(PostingsOps.toArray(PostingsOps.intersect(make(lists, be)))).containsExactly(toArr(inter));
            assertThat(PostingsOps.toArray(PostingsOps.merge(make(lists, be)))).containsExactly(toArr(union));
            TreeSet<Long> diff = new TreeSet<>();
            for (long v : lists.get(0)) {
                diff.add(v);
            }
            if (k > 1) {
                for (long v : lists.get(1)) {
                    diff.remove(v);
                }
                assertThat(PostingsOps.toArray(PostingsOps.without(make(lists, be).get(0), make(lists, be).get(1))))
                        .containsExactly(toArr(diff));
            }
            // Seeks on each combinator agree with a ceiling lookup.
            long target = r.nextInt(range + 10);
            checkSeek(PostingsOps.intersect(make(lists, be)), inter, target);
            checkSeek(PostingsOps.merge(make(lists, be)), union, target);
            checkSeek(make(lists, be).get(0), toSet(lists.get(0)), target);
        }
    }

    @Test
    void seekIsMonotonicAndStaysPut() {
        long[] a = {1, 5, 9, 100, 1000, 4000000000L};
        for (Postings p : new Postings[] {PostingsOps.of(a), bigEndian(a)}) {
            assertThat(p.seek(0)).isTrue();
            assertThat(p.at()).isEqualTo(1);
            assertThat(p.seek(6)).isTrue();
            assertThat(p.at()).isEqualTo(9);
            assertThat(p.seek(2)).isTrue();
            assertThat(p.at()).isEqualTo(9);
            assertThat(p.next()).isTrue();
            assertThat(p.at()).isEqualTo(100);
            assertThat(p.seek(3_999_999_999L)).isTrue();
            assertThat(p.at()).isEqualTo(4000000000L); // unsigned 32-bit reference
            assertThat(p.seek(4_000_000_001L)).isFalse();
            assertThat(p.next()).isFalse();
        }
    }

    @Test
    void pairIntersectionAcrossBlocksRatiosAndUnsignedValues() {
        Random r = new Random(5);
        for (int round = 0; round < 30; round++) {
            // Sizes from similar to far apart (gallop), values above 2^31 (unsigned refs).
            int na = 1 + r.nextInt(1000);
            int nb = round % 3 == 0 ? na * (20 + r.nextInt(20)) : 1 + r.nextInt(1000);
            // Dense lists intersect through a bitmap, sparse ones (every 5th round) by merging.
            int range = Math.max(na, nb) * (round % 5 == 1 ? 100 : 1 + r.nextInt(3));
            long offset = round % 2 == 0 ? 0 : 0xffffffffL - range;
            long[] a = shift(randomSorted(r, Math.min(na, range), range), offset);
            long[] b = shift(randomSorted(r, Math.min(nb, range), range), offset);
            TreeSet<Long> inter = toSet(a);
            inter.retainAll(toSet(b));
            TreeSet<Long> union = toSet(a);
            union.addAll(toSet(b));
            for (int mix = 0; mix < 4; mix++) {
                Postings x = (mix & 1) == 0 ? PostingsOps.of(a) : bigEndian(a);
                Postings y = (mix & 2) == 0 ? PostingsOps.of(b) : bigEndian(b);
                Postings p = PostingsOps.intersect(round % 2 == 0 ? List.of(x, y) : List.of(y, x));
                assertThat(PostingsOps.toArray(p)).containsExactly(toArr(inter));
                assertThat(p.next()).isFalse();
                assertThat(p.seek(0)).isFalse();
                x = (mix & 1) == 0 ? PostingsOps.of(a) : bigEndian(a);
                y = (mix & 2) == 0 ? PostingsOps.of(b) : bigEndian(b);
                assertThat(PostingsOps.toArray(PostingsOps.merge(x, y))).containsExactly(toArr(union));
                long target = offset + r.nextInt(range + 1);
                // Advance a little first, so the seek may land inside the current block.
                Postings u = PostingsOps.merge(bigEndian(a), PostingsOps.of(b));
                long cur = -1;
                for (int step = 0; step < 3 && u.next(); step++) {
                    cur = u.at();
                }
                checkSeek(u, union, Math.max(target, cur));
            }
            // Interleaved next and seek, including seeks inside and beyond the current block.
            Postings p = PostingsOps.intersect(bigEndian(a), PostingsOps.of(b));
            long cur = -1;
            for (int step = 0; step < 40; step++) {
                Long want;
                if (r.nextBoolean()) {
                    want = cur < 0 ? (inter.isEmpty() ? null : inter.first()) : inter.higher(cur);
                    assertThat(p.next()).isEqualTo(want != null);
                } else {
                    long target = Math.max(cur, offset) + r.nextInt(range / 8 + 2);
                    want = inter.ceiling(Math.max(target, cur));
                    assertThat(p.seek(target)).isEqualTo(want != null);
                }
                if (want == null) {
                    break;
                }
                assertThat(p.at()).isEqualTo(want);
                cur = want;
            }
        }
    }

    private static long[] shift(long[] a, long by) {
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    private static void checkSeek(Postings p, TreeSet<Long> s, long target) {
        Long want = s.ceiling(target);
        assertThat(p.seek(target)).isEqualTo(want != null);
        if (want != null) {
            assertThat(p.at()).isEqualTo(want);
            Long nxt = s.higher(want);
            assertThat(p.next()).isEqualTo(nxt != null);
            if (nxt != null) {
                assertThat(p.at()).isEqualTo(nxt);
            }
        }
    }

    private static List<Postings> make(List<long[]> lists, boolean be) {
        List<Postings> out = new ArrayList<>();
        for (long[] l : lists) {
            out.add(be ? bigEndian(l) : PostingsOps.of(l));
        }
        return out;
    }

    private static TreeSet<Long> toSet(long[] a) {
        TreeSet<Long> s = new TreeSet<>();
        for (long v : a) {
            s.add(v);
        }
        return s;
    }

    private static long[] toArr(TreeSet<Long> s) {
        return s.stream().mapToLong(Long::longValue).toArray();
    }
}
