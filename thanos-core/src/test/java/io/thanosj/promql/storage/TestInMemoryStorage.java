package io.thanosj.promql.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestInMemoryStorage {
    private static final Labels A = Labels.of("__name__", "up", "job", "a");
    private static final Labels B = Labels.of("__name__", "up", "job", "b");
    private static final Labels C = Labels.of("__name__", "down", "job", "a", "zone", "z1");

    private static InMemoryStorage storage() {
        InMemoryStorage st = new InMemoryStorage();
        st.append(B, 10, 1);
        st.append(A, 10, 2);
        st.append(A, 30, 4);
        st.append(A, 20, 3); // out of order: inserted in place
        st.append(A, 30, 5); // same timestamp: replaces
        st.append(C, 100, 6);
        return st;
    }

    private static List<Labels> labelsOf(SeriesSet set) {
        List<Labels> out = new ArrayList<>();
        while (set.next()) {
            out.add(set.labels());
        }
        return out;
    }

    @Test
    void selectsByMatchersInLabelOrder() {
        InMemoryStorage st = storage();
        assertThat(labelsOf(st.select(SelectHints.of(0, 1000), List.of(Matcher.of(MatchType.REGEX, "job", ".+")))))
                .containsExactly(C, A, B);
        assertThat(labelsOf(st.select(SelectHints.of(0, 1000), List.of(Matcher.equal("__name__", "up"),
                Matcher.of(MatchType.NOT_EQUAL, "job", "b"))))).containsExactly(A);
        assertThat(labelsOf(st.select(SelectHints.of(0, 1000), List.of(Matcher.equal("zone", ""),
                Matcher.equal("__name__", "up"))))).containsExactly(A, B);
        // Series without samples in the range are left out.
        assertThat(labelsOf(st.select(SelectHints.of(50, 1000), List.of(Matcher.equal("job", "a"))))).containsExactly(C);
    }

    @Test
    void iteratorsEndAtTheRangeAndSeek() {
        SeriesSet set = storage().select(SelectHints.of(15, 30), List.of(Matcher.equal("job", "a"),
                Matcher.equal("__name__", "up")));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.iterator();
        // Samples before the range may come first (Queryable allows it); seeking skips them.
        assertThat(it.seek(15)).isTrue();
        assertThat(it.t()).isEqualTo(20);
        assertThat(it.v()).isEqualTo(3);
        assertThat(it.next()).isTrue();
        assertThat(it.t()).isEqualTo(30);
        assertThat(it.v()).isEqualTo(5);
        assertThat(it.next()).isFalse();

        SeriesSet set2 = storage().select(SelectHints.of(0, 100), List.of(Matcher.equal("job", "a"),
                Matcher.equal("__name__", "up")));
        assertThat(set2.next()).isTrue();
        SampleIterator seek = set2.iterator();
        assertThat(seek.seek(11)).isTrue();
        assertThat(seek.t()).isEqualTo(20);
        assertThat(seek.seek(5)).isTrue(); // never moves back
        assertThat(seek.t()).isEqualTo(20);
        assertThat(seek.seek(31)).isFalse();
    }

    @Test
    void staleMarkersKeepTheirBits() {
        InMemoryStorage st = new InMemoryStorage();
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        st.append(A, 1, stale);
        SeriesSet set = st.select(SelectHints.of(0, 10), List.of(Matcher.equal("job", "a")));
        set.next();
        SampleIterator it = set.iterator();
        it.next();
        assertThat(Double.doubleToRawLongBits(it.v())).isEqualTo(0x7ff0000000000002L);
    }

    @Test
    void labelNamesAndValues() {
        InMemoryStorage st = storage();
        assertThat(st.labelNames(0, 1000, List.of())).containsExactly("__name__", "job", "zone");
        assertThat(st.labelNames(0, 1000, List.of(Matcher.equal("__name__", "up")))).containsExactly("__name__", "job");
        assertThat(st.labelValues("job", 0, 1000, List.of())).containsExactly("a", "b");
        assertThat(st.labelValues("__name__", 50, 1000, List.of())).containsExactly("down");
        st.clear();
        assertThat(st.seriesCount()).isZero();
    }
}
