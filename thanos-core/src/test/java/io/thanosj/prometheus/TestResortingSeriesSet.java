package io.thanosj.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.SeriesSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestResortingSeriesSet {
    private static final Labels EXT = Labels.of("replica", "r1", "cluster", "c");

    private static List<Labels> run(List<Labels> prometheusOrder, Labels ext, List<String> without, long limit) {
        List<SeriesSets.Entry> in = new ArrayList<>();
        for (Labels l : prometheusOrder) {
            in.add(new SeriesSets.Entry(l, List.of()));
        }
        List<Labels> out = new ArrayList<>();
        try (SeriesSet s = new ResortingSeriesSet(SeriesSets.of(in), new ExternalLabels(ext, without), limit)) {
            while (s.next()) {
                out.add(s.labels());
            }
        }
        return out;
    }

    @Test
    void externalLabelsWinAndAreAdded() {
        List<Labels> out = run(List.of(Labels.of("__name__", "up", "replica", "local", "job", "x")), EXT, List.of(), 0);
        assertThat(out).containsExactly(Labels.of("__name__", "up", "cluster", "c", "job", "x", "replica", "r1"));
        out = run(List.of(Labels.of("__name__", "up", "job", "x")), EXT, List.of("replica"), 0);
        assertThat(out).containsExactly(Labels.of("__name__", "up", "cluster", "c", "job", "x"));
    }

    @Test
    void aPrefixSeriesMovesBehindItsExtensions() {
        // {a=1} < {a=1,b=1} in Prometheus, but {a=1,z=r} > {a=1,b=1,z=r} once z is added.
        Labels ext = Labels.of("z", "r");
        List<Labels> out = run(List.of(Labels.of("a", "1"), Labels.of("a", "1", "b", "1"), Labels.of("a", "2")), ext,
                List.of(), 0);
        assertThat(out).containsExactly(Labels.of("a", "1", "b", "1", "z", "r"), Labels.of("a", "1", "z", "r"),
                Labels.of("a", "2", "z", "r"));
    }

    @Test
    void ordinarySeriesAreHeldBackOneAtMost() {
        List<SeriesSets.Entry> in = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            in.add(new SeriesSets.Entry(Labels.of("__name__", "m", "instance", String.format("i%04d", i), "job", "j"),
                    List.of()));
        }
        ResortingSeriesSet s = new ResortingSeriesSet(SeriesSets.of(in), new ExternalLabels(EXT, List.of()), 0);
        int n = 0;
        int maxHeld = 0;
        while (s.next()) {
            n++;
            maxHeld = Math.max(maxHeld, s.heldCount());
        }
        assertThat(n).isEqualTo(1000);
        assertThat(maxHeld).isLessThanOrEqualTo(1);
    }

    @Test
    void limitStopsTheStream() {
        List<Labels> in = List.of(Labels.of("a", "1"), Labels.of("a", "2"), Labels.of("a", "3"));
        assertThat(run(in, EXT, List.of(), 2)).hasSize(2);
    }

    /**
     * Random series over a few names, including ones named like external labels and values that
     * equal them, in Prometheus's order; Prometheus's remote read then merges its external labels
     * in with local precedence. The output must be exactly the sorted, re-labelled input.
     */
    @Test
    void randomSeriesComeOutSorted() {
        Random rnd = new Random(42);
        String[] names = {"__name__", "a", "b", "cluster", "m", "replica", "z"};
        String[] values = {"1", "2", "c", "r1", "x"};
        for (int round = 0; round < 1500; round++) {
            Labels ext = switch (round % 4) {
                case 0 -> Labels.of("replica", "r1");
                case 1 -> Labels.of("replica", "r1", "cluster", "c");
                case 2 -> Labels.of("z", "x", "b", "2");
                default -> Labels.of("a", "1", "z", "x");
            };
            List<String> without = switch (round % 3) { case 0 -> List.of("replica"); case 1 -> List.of("z", "cluster"); default -> List.of(); };
            TreeSet<Labels> internal = new TreeSet<>();
            int count = 1 + rnd.nextInt(40);
            for (int i = 0; i < count; i++) {
                LabelsBuilder b = new LabelsBuilder();
                int k = 1 + rnd.nextInt(4);
                for (int j = 0; j < k; j++) {
                    b.set(names[rnd.nextInt(names.length)], values[rnd.nextInt(values.length)]);
                }
                internal.add(b.build());
            }
            // What Prometheus sends: sorted by internal labels, its external labels merged in.
            List<Labels> sent = new ArrayList<>();
            for (Labels l : internal) {
                LabelsBuilder b = new LabelsBuilder(l);
                ext.forEach((n, v) -> {
                    if (!l.has(n)) {
                        b.set(n, v);
                    }
                });
                sent.add(b.build());
            }
            ExternalLabels el = new ExternalLabels(ext, without);
            List<Labels> want = new ArrayList<>();
            LabelsBuilder scratch = new LabelsBuilder();
            for (Labels l : sent) {
                want.add(el.apply(l, scratch));
            }
            want.sort(null);
            assertThat(run(sent, ext, without, 0)).as("round %d ext %s input %s", round, ext, sent).isEqualTo(want);
        }
    }
}
