package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestRelabelConfig {
    static Labels process(String yaml, Labels in) {
        return RelabelConfig.parse("--selector.relabel-config", yaml).process(in);
    }

    @Test
    void keepAndDropByRegexOverJoinedSourceLabels() {
        Labels l = Labels.of("cluster", "eu-1", "env", "prod");
        String keep = "- action: keep\n  source_labels: [cluster, env]\n  regex: eu-.*;prod\n";
        assertThat(process(keep, l)).isEqualTo(l);
        assertThat(process(keep, Labels.of("cluster", "us-1", "env", "prod"))).isNull();
        String drop = "- action: drop\n  source_labels: [env]\n  regex: dev|test\n";
        assertThat(process(drop, l)).isEqualTo(l);
        assertThat(process(drop, Labels.of("env", "dev"))).isNull();
        // Regexes are anchored: "eu" alone does not match "eu-1".
        assertThat(process("- action: keep\n  source_labels: [cluster]\n  regex: eu\n", l)).isNull();
    }

    @Test
    void hashmodMatchesPrometheusMd5() {
        // Expected values computed with md5 as Prometheus does (last 8 bytes, big-endian, mod N).
        String cfg = "- action: hashmod\n  source_labels: [cluster]\n  modulus: 3\n  target_label: shard\n";
        assertThat(process(cfg, Labels.of("cluster", "cluster-a")).get("shard")).isEqualTo("2");
        assertThat(process(cfg, Labels.of("cluster", "")).get("shard")).isEqualTo("1");
        String byId = "- action: hashmod\n  source_labels: [__block_id]\n  modulus: 10\n  target_label: shard\n"
                + "- action: keep\n  source_labels: [shard]\n  regex: \"2\"\n";
        assertThat(process(byId, Labels.of("__block_id", "01HZZZZZZZZZZZZZZZZZZZZZZZ"))).isNotNull();
        assertThat(process(byId, Labels.of("__block_id", "a;b"))).isNull();
    }

    @Test
    void replaceExpandsGroupsLikeGo() {
        String cfg = "- source_labels: [cluster]\n  regex: (?P<region>[a-z]+)-(\\d+)\n  target_label: region\n  replacement: ${region}_$2x$$\n";
        assertThat(process(cfg, Labels.of("cluster", "eu-12")).get("region")).isEqualTo("eu_$"); // "$2x" names group "2x", absent
        String cfg2 = "- source_labels: [cluster]\n  regex: ([a-z]+)-(\\d+)\n  target_label: r\n  replacement: ${1}/${2}\n";
        assertThat(process(cfg2, Labels.of("cluster", "eu-12")).get("r")).isEqualTo("eu/12");
        // No match: unchanged. Empty result: the target is deleted.
        assertThat(process(cfg2, Labels.of("cluster", "EU"))).isEqualTo(Labels.of("cluster", "EU"));
        String del = "- source_labels: [missing]\n  target_label: cluster\n";
        assertThat(process(del, Labels.of("cluster", "x", "a", "b"))).isEqualTo(Labels.of("a", "b"));
        assertThat(process("- action: labeldrop\n  regex: clu.*\n", Labels.of("cluster", "x", "a", "b"))).isEqualTo(Labels.of("a", "b"));
        assertThat(process("- action: labelmap\n  regex: (c.*)\n  replacement: new_$1\n", Labels.of("cluster", "x")))
                .isEqualTo(Labels.of("cluster", "x", "new_cluster", "x"));
        assertThat(process("- action: lowercase\n  source_labels: [a]\n  target_label: b\n", Labels.of("a", "XY")).get("b")).isEqualTo("xy");
    }

    @Test
    void invalidConfigsAreRejectedWithTheRule() {
        assertThatThrownBy(() -> RelabelConfig.parse("cfg", "- action: hashmod\n  source_labels: [a]\n  target_label: s\n"))
                .isInstanceOf(ThanosException.class).hasMessageContaining("cfg rule 1: relabel configuration for hashmod requires non-zero modulus");
        assertThatThrownBy(() -> RelabelConfig.parse("cfg", "- action: explode\n")).hasMessageContaining("unknown relabel action \"explode\"");
        assertThatThrownBy(() -> RelabelConfig.parse("cfg", "- action: keep\n  regex: \"(\"\n")).hasMessageContaining("invalid regex");
        assertThatThrownBy(() -> RelabelConfig.parse("cfg", "- action: replace\n  source_labels: [a]\n"))
                .hasMessageContaining("requires 'target_label' value");
        assertThatThrownBy(() -> RelabelConfig.parse("cfg", "action: keep\n")).hasMessageContaining("expected a list");
        assertThatThrownBy(() -> RelabelConfig.parse("cfg", "- action: keep\n  sources: [a]\n")).hasMessageContaining("unknown field sources");
        assertThat(RelabelConfig.parse("cfg", "").isEmpty()).isTrue();
    }
}
