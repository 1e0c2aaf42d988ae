package io.thanosj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestLabels {
    @Test
    void sortsDeduplicatesAndDropsEmptyValues() {
        Labels l = Labels.of("b", "2", "a", "1", "c", "", "a", "3");
        assertThat(l.size()).isEqualTo(2);
        assertThat(l.name(0)).isEqualTo("a");
        assertThat(l.value(0)).isEqualTo("3");
        assertThat(l.get("b")).isEqualTo("2");
        assertThat(l.get("missing")).isEmpty();
        assertThat(l.toString()).isEqualTo("{a=\"3\", b=\"2\"}");
    }

    @Test
    void xxhash64MatchesReferenceVectors() {
        // Reference values of XXH64 with seed 0 (from the xxHash specification's test vectors).
        assertThat(XxHash64.hash(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(XxHash64.hash("Nobody inspects the spammish repetition".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(0xFBCEA83C8A378BF1L);
        // Two stripes plus an 8-, a 4- and a 1-byte tail (value from an independent implementation of the spec).
        assertThat(XxHash64.hash("The quick brown fox jumps over the lazy dog, twice over: the quick brown fox."
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(0x98BB41C9FD090208L);
        // The same bytes at every alignment and inside a larger array hash the same.
        byte[] text = "Nobody inspects the spammish repetition".getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off < 9; off++) {
            byte[] padded = new byte[off + text.length + 5];
            java.util.Arrays.fill(padded, (byte) 0x5a);
            System.arraycopy(text, 0, padded, off, text.length);
            assertThat(XxHash64.hash(padded, off, text.length)).isEqualTo(0xFBCEA83C8A378BF1L);
        }
    }

    @Test
    void equalSetsHashEqualAndOrderIsUtf8() {
        Labels a = Labels.of("x", "1", "y", "2");
        Labels b = new LabelsBuilder().set("y", "2").set("x", "1").build();
        assertThat(a).isEqualTo(b);
        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(Labels.of("x", "1").compareTo(Labels.of("x", "2"))).isNegative();
        // U+1F600 (surrogate pair) sorts after U+FFFD in UTF-8 order, unlike UTF-16 order.
        assertThat(Utf8Order.compare("\uD83D\uDE00", "\uFFFD")).isPositive();
    }

    @Test
    void matchersAreAnchoredAndOptimised() {
        Matcher re = Matcher.of(MatchType.REGEX, "job", "api|web");
        assertThat(re.setMatches()).containsExactlyInAnyOrder("api", "web");
        assertThat(re.matches("api")).isTrue();
        assertThat(re.matches("apiserver")).isFalse();
        Matcher prefix = Matcher.of(MatchType.REGEX, "job", "ap.*");
        assertThat(prefix.prefix()).isEqualTo("ap");
        assertThat(prefix.matches("apx")).isTrue();
        assertThat(prefix.matches("xap")).isFalse();
        Matcher general = Matcher.of(MatchType.NOT_REGEX, "x", "a[0-9]+");
        assertThat(general.matches("a12")).isFalse();
        assertThat(general.matches("a12b")).isTrue();
        assertThat(Matcher.of(MatchType.REGEX, "x", ".*").matchesEmpty()).isTrue();
        assertThat(Matcher.of(MatchType.REGEX, "x", ".+").matches("")).isFalse();
        assertThatThrownBy(() -> Matcher.of(MatchType.REGEX, "x", "a(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a(");
    }
}
