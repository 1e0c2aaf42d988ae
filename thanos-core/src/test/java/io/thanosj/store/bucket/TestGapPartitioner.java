package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class TestGapPartitioner {
    static List<Arguments> cases() {
        return List.of(
                Arguments.of(new long[][] {}, List.of()),
                Arguments.of(new long[][] {{1, 10}}, List.of(new GapPartitioner.Part(1, 10, 0, 1))),
                // A gap of exactly 10 merges, 11 does not.
                Arguments.of(new long[][] {{1, 10}, {20, 30}, {41, 50}},
                        List.of(new GapPartitioner.Part(1, 30, 0, 2), new GapPartitioner.Part(41, 50, 2, 3))),
                // Overlapping and contained ranges.
                Arguments.of(new long[][] {{1, 100}, {5, 20}, {90, 120}, {300, 400}},
                        List.of(new GapPartitioner.Part(1, 120, 0, 3), new GapPartitioner.Part(300, 400, 3, 4))),
                Arguments.of(new long[][] {{0, 5}, {100, 105}, {200, 205}}, List.of(new GapPartitioner.Part(0, 5, 0, 1),
                        new GapPartitioner.Part(100, 105, 1, 2), new GapPartitioner.Part(200, 205, 2, 3))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void mergesRangesWithSmallGaps(long[][] ranges, List<GapPartitioner.Part> want) {
        List<GapPartitioner.Part> got = new GapPartitioner(10).partition(ranges.length, new GapPartitioner.Ranges() {
            @Override
            public long start(int i) {
                return ranges[i][0];
            }

            @Override
            public long end(int i) {
                return ranges[i][1];
            }
        });
        assertThat(got).isEqualTo(want);
    }
}
