package io.thanosj.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.GoFloatFormat;
import io.thanosj.model.ThanosException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestApiParams {
    @Test
    void parsesTimestampsLikePrometheus() {
        assertThat(ApiParams.time("time", "1435781451.781", 0)).isEqualTo(1435781451781L);
        assertThat(ApiParams.time("time", "1435781451", 0)).isEqualTo(1435781451000L);
        assertThat(ApiParams.time("time", "2015-07-01T20:10:51.781Z", 0)).isEqualTo(1435781451781L);
        assertThat(ApiParams.time("time", "2015-07-01T22:10:51.781+02:00", 0)).isEqualTo(1435781451781L);
        assertThat(ApiParams.time("time", null, 42)).isEqualTo(42);
        assertThatThrownBy(() -> ApiParams.time("time", "yesterday", 0)).isInstanceOf(ThanosException.class)
                .hasMessage("invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp");
    }

    @Test
    void parsesDurationsAndChecksRanges() {
        assertThat(ApiParams.duration("step", "15")).isEqualTo(15_000);
        assertThat(ApiParams.duration("step", "0.5")).isEqualTo(500);
        assertThat(ApiParams.duration("step", "1m30s")).isEqualTo(90_000);
        assertThatThrownBy(() -> ApiParams.duration("step", "1x")).hasMessage("invalid parameter \"step\": cannot parse \"1x\" to a valid duration");
        assertThatThrownBy(() -> ApiParams.checkRange(10, 0, 1)).hasMessageContaining("end timestamp must not be before start time");
        assertThatThrownBy(() -> ApiParams.checkRange(0, 10, 0)).hasMessageContaining("zero or negative query resolution step");
        assertThatThrownBy(() -> ApiParams.checkRange(0, 11001_000, 1000)).hasMessageContaining("11,000 points");
        ApiParams.checkRange(0, 11000_000, 1000);
    }

    @Test
    void formatsNumbersLikeGo() {
        assertThat(PromJson.formatTimestamp(1435781451781L)).isEqualTo("1435781451.781");
        assertThat(PromJson.formatTimestamp(1435781451500L)).isEqualTo("1435781451.500");
        assertThat(PromJson.formatTimestamp(1435781451005L)).isEqualTo("1435781451.005");
        assertThat(PromJson.formatTimestamp(1000)).isEqualTo("1");
        assertThat(PromJson.formatTimestamp(-1500)).isEqualTo("-1.500");
        assertThat(PromJson.formatTimestamp(Long.MIN_VALUE)).isEqualTo("-9223372036854775.808");
        assertThat(GoFloatFormat.formatF(1)).isEqualTo("1");
        assertThat(GoFloatFormat.formatF(0.1)).isEqualTo("0.1");
        assertThat(GoFloatFormat.formatF(1e21)).isEqualTo("1000000000000000000000");
        assertThat(GoFloatFormat.formatF(1.5e-7)).isEqualTo("0.00000015");
        assertThat(GoFloatFormat.formatF(-2.25)).isEqualTo("-2.25");
        assertThat(GoFloatFormat.formatF(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFloatFormat.formatF(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(GoFloatFormat.formatF(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }

    @Test
    void timestampsAreWrittenAsPrometheusWritesThem() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
            g.writeStartArray();
            for (long ms : new long[] {1435781451000L, 1435781451500L, 0, -2000, -1500, 5}) {
                PromJson.writeTimestamp(g, ms);
            }
            g.writeEndArray();
        }
        assertThat(w.toString()).isEqualTo("[1435781451,1435781451.500,0,-2,-1.500,0.005]");
    }
}
