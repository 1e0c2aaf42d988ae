package io.thanosj.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.thanosj.model.GoFloatFormat;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sample values take Prometheus's jsonutil.MarshalValue format (an exponent below 1e-6 and from
 * 1e21 on), scalars Go's plain 'f' format; the expected strings are what Prometheus 2.42 answers
 * (see TestPromJsonPrometheus for the same checks against the real binary).
 */
@Tag("unit")
class TestPromJson {
    @Test
    void sampleValuesSwitchToAnExponentAtPrometheussBounds() {
        assertThat(PromJson.formatSample(1e-6)).isEqualTo("0.000001");
        assertThat(PromJson.formatSample(Math.nextDown(1e-6))).isEqualTo("9.999999999999997e-07");
        assertThat(PromJson.formatSample(-1e-7)).isEqualTo("-1e-07");
        assertThat(PromJson.formatSample(1e21)).isEqualTo("1e+21");
        assertThat(PromJson.formatSample(-1.5e21)).isEqualTo("-1.5e+21");
        assertThat(PromJson.formatSample(Math.nextDown(1e21))).isEqualTo("999999999999999900000");
        assertThat(PromJson.formatSample(5e-324)).isEqualTo("5e-324");
        assertThat(PromJson.formatSample(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(PromJson.formatSample(2.82879384806159e17)).isEqualTo("282879384806159000");
        assertThat(PromJson.formatSample(0.1)).isEqualTo("0.1");
        assertThat(PromJson.formatSample(1)).isEqualTo("1");
        assertThat(PromJson.formatSample(0)).isEqualTo("0");
        assertThat(PromJson.formatSample(-0.0)).isEqualTo("-0");
        assertThat(PromJson.formatSample(Double.NaN)).isEqualTo("NaN");
        assertThat(PromJson.formatSample(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PromJson.formatSample(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void scalarsNeverTakeAnExponent() {
        assertThat(GoFloatFormat.formatF(1e21)).isEqualTo("1000000000000000000000");
        assertThat(GoFloatFormat.formatF(1e-7)).isEqualTo("0.0000001");
        assertThat(GoFloatFormat.formatF(5e-324)).isEqualTo("0." + "0".repeat(323) + "5");
        assertThat(GoFloatFormat.formatF(-Double.MAX_VALUE)).isEqualTo("-17976931348623157" + "0".repeat(292));
    }

    @Test
    void writersProduceTheJsonOfPrometheus() throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartArray();
            PromJson.writeScalar(g, 1435781451781L, 1e-7);
            g.writeStartArray();
            PromJson.writeTimestamp(g, 1435781451000L);
            PromJson.writeValue(g, 1e-7);
            g.writeEndArray();
            g.writeStartArray();
            PromJson.writeTimestamp(g, 1000);
            PromJson.writeValue(g, -Double.MIN_VALUE);
            PromJson.writeValue(g, 123.456);
            PromJson.writeValue(g, 8e9);
            g.writeEndArray();
            g.writeEndArray();
        }
        assertThat(w.toString()).isEqualTo("[[1435781451.781,\"0.0000001\"],[1435781451,\"1e-07\"],"
                + "[1,\"-5e-324\",\"123.456\",\"8000000000\"]]");
    }

    @Test
    void aPointIsTheTimestampAndSampleValueInAnArray() throws IOException {
        java.util.Random rnd = new java.util.Random(7);
        long[] times = {0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, 1435781451781L, Long.MAX_VALUE, Long.MIN_VALUE};
        double[] values = {0, -0.0, 1e-7, 1e21, 123.456, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -Double.MIN_VALUE, -Double.MAX_VALUE};
        StringWriter raw = new StringWriter();
        StringWriter parts = new StringWriter();
        try (JsonGenerator a = new JsonFactory().createGenerator(raw); JsonGenerator b = new JsonFactory().createGenerator(parts)) {
            a.writeStartArray();
            b.writeStartArray();
            for (int i = 0; i < 20_000; i++) {
                long t = i < times.length ? times[i] : rnd.nextLong() >> rnd.nextInt(64);
                double v = i < values.length ? values[i] : Double.longBitsToDouble(rnd.nextLong());
                PromJson.writePoint(a, t, v);
                b.writeStartArray();
                PromJson.writeTimestamp(b, t);
                PromJson.writeValue(b, v);
                b.writeEndArray();
            }
            a.writeEndArray();
            b.writeEndArray();
        }
        assertThat(raw.toString()).startsWith("[[0,\"0\"],[0.001,\"-0\"],[0.999,\"1e-07\"],[1,\"1e+21\"]")
                .isEqualTo(parts.toString());
    }
}
