package io.thanosj.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestLabelsBuilder {
    @Test
    void resetFromBaseCopiesAndForgetsWhatWasThere() {
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < 20; i++) {
            b.set("n" + (char) ('a' + i), "v");
        }
        Labels base = Labels.of("a", "1", "c", "3");
        assertThat(b.reset(base).set("b", "2").build()).isEqualTo(Labels.of("a", "1", "b", "2", "c", "3"));
        assertThat(b.reset(Labels.EMPTY).build()).isEqualTo(Labels.EMPTY);
        assertThat(base).isEqualTo(Labels.of("a", "1", "c", "3"));
    }

    @Test
    void appendInternedKeepsOrderGivenAndDropsEmptyValues() {
        LabelsBuilder b = new LabelsBuilder();
        assertThat(b.lastName()).isNull();
        for (int i = 0; i < 40; i++) {
            b.appendInterned(Labels.intern(String.format("n%02d", i)), i == 7 ? "" : Labels.intern("v" + i));
        }
        assertThat(b.size()).isEqualTo(39);
        assertThat(b.lastName()).isEqualTo("n39");
        Labels l = b.build();
        assertThat(l.get("n07")).isEmpty();
        assertThat(l.get("n08")).isEqualTo("v8");
        assertThat(l.compareTo(Labels.of("n00", "v0"))).isPositive();
    }

    @Test
    void withoutOneOrSeveralNames() {
        Labels l = Labels.of("__name__", "up", "a", "1", "z", "9");
        assertThat(l.without("__name__")).isEqualTo(Labels.of("a", "1", "z", "9"));
        assertThat(l.without("a")).isEqualTo(Labels.of("__name__", "up", "z", "9"));
        assertThat(l.without("z")).isEqualTo(Labels.of("__name__", "up", "a", "1"));
        assertThat(l.without("missing")).isSameAs(l);
        assertThat(l.without("a", "z")).isEqualTo(Labels.of("__name__", "up"));
        assertThat(Labels.of("a", "1").without("a")).isSameAs(Labels.EMPTY);
        assertThat(l.without("a").hash()).isEqualTo(Labels.of("__name__", "up", "z", "9").hash());
    }

    @Test
    void compareOfTheSameStringIsZero() {
        String s = Labels.intern("x\uD83D\uDE00");
        assertThat(Utf8Order.compare(s, s)).isZero();
        assertThat(Utf8Order.compare(s, new String(s))).isZero();
    }
}
