package io.thanosj.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestLoserTree {
    @Test
    void mergesAnyNumberOfSortedRuns() {
        Random rnd = new Random(42);
        for (int k = 1; k <= 13; k++) {
            for (int round = 0; round < 20; round++) {
                int[][] runs = new int[k][];
                List<Integer> all = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    runs[i] = rnd.ints(rnd.nextInt(20), 0, 50).sorted().toArray();
                    Arrays.stream(runs[i]).forEach(all::add);
                }
                all.sort(null);
                int[] pos = new int[k];
                LoserTree t = new LoserTree(k, (a, b) -> {
                    if (pos[a] >= runs[a].length) {
                        return false;
                    }
                    if (pos[b] >= runs[b].length) {
                        return true;
                    }
                    return runs[a][pos[a]] < runs[b][pos[b]];
                });
                List<Integer> merged = new ArrayList<>();
                for (int w = t.winner(); pos[w] < runs[w].length; w = t.winner()) {
                    merged.add(runs[w][pos[w]++]);
                    t.replay();
                }
                assertThat(merged).as("k=%d", k).isEqualTo(all);
            }
        }
    }
}
