package io.thanosj.promql.parser;

import io.thanosj.model.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class TestPromQLParser {

    private static double number(String q) {
        return ((NumberLiteral) PromQLParser.parse(q)).value();
    }

    private static String string(String q) {
        return ((StringLiteral) PromQLParser.parse(q)).value();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1", "0x1F|31", "0X1f|31", "0755|493", "08|8", "1e3|1000", "1.5E-3|0.0015", ".5|0.5", "5.|5",
        "-0755|-493", "+5.5e-3|0.0055", "Inf|Infinity", "-inF|-Infinity", "+Inf|Infinity",
        "9223372036854775807|9.223372036854775807E18", "99999999999999999999|1e20"})
    void numbers(String q, double want) {
        assertThat(number(q)).isEqualTo(want);
    }

    @Test
    void nan() {
        assertThat(number("NaN")).isNaN();
        assertThat(number("nan")).isNaN();
    }

    @Test
    void strings() {
        assertThat(string("\"a\\\"b\"")).isEqualTo("a\"b");
        assertThat(string("'a\\'b'")).isEqualTo("a'b");
        assertThat(string("`a\\nb`")).isEqualTo("a\\nb");
        assertThat(string("\"\\a\\b\\f\\n\\r\\t\\v\\\\\"")).isEqualTo("\u0007\b\f\n\r\t\u000b\\");
        assertThat(string("\"\\u00e9\\U0001F600\\x41\\101\"")).isEqualTo("\u00e9\uD83D\uDE00AA");
        assertThat(string("\"\\xc3\\xa9\"")).isEqualTo("\u00e9"); // raw bytes forming UTF-8
        assertThat(string("'\"'")).isEqualTo("\"");
        assertThatThrownBy(() -> PromQLParser.parse("\"a\\'b\"")).hasMessage("1:1: parse error: unknown escape sequence U+0027 '''");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("1h30m")).isEqualTo(5_400_000);
        assertThat(Durations.parse("1y2w3d4h5m6s7ms")).isEqualTo(
                365L * 86_400_000 + 14 * 86_400_000L + 3 * 86_400_000L + 4 * 3_600_000L + 5 * 60_000 + 6_000 + 7);
        assertThat(Durations.format(5_400_000)).isEqualTo("1h30m");
        assertThat(Durations.format(90 * 86_400_000L)).isEqualTo("90d"); // weeks only when they divide evenly
        assertThat(Durations.format(91 * 86_400_000L)).isEqualTo("13w");
        assertThat(Durations.format(1)).isEqualTo("1ms");
        assertThatThrownBy(() -> Durations.parse("1m1h")).hasMessage("not a valid duration string: \"1m1h\"");
        assertThatThrownBy(() -> Durations.parse("300y")).hasMessage("duration out of range");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // Input | how it must group (printed with explicit parentheses by the test)
        "1 + 2 * 3|(1 + (2 * 3))",
        "1 * 2 + 3|((1 * 2) + 3)",
        "2 ^ 3 ^ 2|(2 ^ (3 ^ 2))",
        "a - b - c|((a - b) - c)",
        "-a ^ b|-(a ^ b)",
        "-a * b|(-a * b)",
        "a or b and c unless d|(a or ((b and c) unless d))",
        "a == bool b + c|(a == bool (b + c))",
        "a + b offset 5m|(a + b offset 5m)",
        "a atan2 b * c|((a atan2 b) * c)",
        "a / on(x) group_left(y) b > 1|((a / on (x) group_left (y) b) > 1)",
        "- - a|--a"})
    void precedence(String q, String want) {
        assertThat(grouped(PromQLParser.parse(q))).isEqualTo(want);
    }

    /** Prints the tree with every binary expression in parentheses. */
    private static String grouped(Expr e) {
        if (e instanceof BinaryExpr b) {
            String s = b.toString();
            return "(" + grouped(b.lhs()) + s.substring(b.lhs().toString().length(), s.length() - b.rhs().toString().length())
                    + grouped(b.rhs()) + ")";
        }
        if (e instanceof UnaryExpr u) {
            return (u.negate() ? "-" : "+") + grouped(u.expr());
        }
        return e.toString();
    }

    @Test
    void unaryMinusFoldsIntoNumbers() {
        assertThat(PromQLParser.parse("-1")).isInstanceOf(NumberLiteral.class);
        assertThat(PromQLParser.parse("-(1)")).isInstanceOf(UnaryExpr.class);
        assertThat(((NumberLiteral) PromQLParser.parse("--1")).value()).isEqualTo(1);
    }

    @Test
    void selectors() {
        VectorSelector vs = (VectorSelector) PromQLParser.parse("foo{a=\"b\", c!~\"d.*\"} offset -5m @ 1.5");
        assertThat(vs.name()).isEqualTo("foo");
        assertThat(vs.matchers()).containsExactly(Matcher.equal("a", "b"), Matcher.of(MatchType.NOT_REGEX, "c", "d.*"),
                Matcher.equal("__name__", "foo"));
        assertThat(vs.offsetMs()).isEqualTo(-300_000);
        assertThat(vs.at()).isEqualTo(AtModifier.TIMESTAMP);
        assertThat(vs.atMs()).isEqualTo(1500);
        assertThat(vs.toString()).isEqualTo("foo{a=\"b\",c!~\"d.*\"} @ 1.500 offset -5m");

        MatrixSelector ms = (MatrixSelector) PromQLParser.parse("foo[1h30m] @ end() offset 1m");
        assertThat(ms.rangeMs()).isEqualTo(5_400_000);
        assertThat(ms.selector().at()).isEqualTo(AtModifier.END);
        assertThat(ms.toString()).isEqualTo("foo[1h30m] @ end() offset 1m");

        SubqueryExpr sq = (SubqueryExpr) PromQLParser.parse("rate(foo[5m])[1h:]");
        assertThat(sq.stepMs()).isZero();
        assertThat(sq.rangeMs()).isEqualTo(3_600_000);
        assertThat(sq.toString()).isEqualTo("rate(foo[5m])[1h:]");

        // Keywords are metric names where an expression starts.
        assertThat(((VectorSelector) PromQLParser.parse("sum")).name()).isEqualTo("sum");
        assertThat(((VectorSelector) PromQLParser.parse("by{a=\"b\"}")).name()).isEqualTo("by");
    }

    @Test
    void aggregations() {
        AggregateExpr a = (AggregateExpr) PromQLParser.parse("sum(rate(x[5m])) by (job, le)");
        assertThat(a.grouping()).containsExactly("job", "le");
        assertThat(a.without()).isFalse();
        AggregateExpr b = (AggregateExpr) PromQLParser.parse("count_values without (instance) (\"v\", x)");
        assertThat(b.without()).isTrue();
        assertThat(((StringLiteral) b.param()).value()).isEqualTo("v");
        assertThat(b.toString()).isEqualTo("count_values without (instance) (\"v\", x)");
        AggregateExpr c = (AggregateExpr) PromQLParser.parse("topk by (job) (scalar(y), x)");
        assertThat(c.toString()).isEqualTo("topk by (job) (scalar(y), x)");
        assertThat(PromQLParser.parse("sum by (and, bool, group_left) (x)").toString())
                .isEqualTo("sum by (and, bool, group_left) (x)");
    }

    @Test
    void vectorMatching() {
        BinaryExpr b = (BinaryExpr) PromQLParser.parse("a > bool ignoring(x) group_right(y, z) b");
        assertThat(b.returnBool()).isTrue();
        assertThat(b.matching()).isEqualTo(new VectorMatching(VectorMatching.Card.ONE_TO_MANY, java.util.List.of("x"),
                false, java.util.List.of("y", "z")));
        assertThat(((BinaryExpr) PromQLParser.parse("a and b")).matching().card()).isEqualTo(VectorMatching.Card.MANY_TO_MANY);
        assertThat(((BinaryExpr) PromQLParser.parse("a + 1")).matching()).isNull();
        assertThat(((BinaryExpr) PromQLParser.parse("1 + on() a")).matching()).isNull();
    }

    @Test
    void functionSignatures() {
        assertThat(Function.lookup("label_join").variadic()).isEqualTo(-1);
        assertThat(Function.lookup("round").argTypes()).containsExactly(ValueType.VECTOR, ValueType.SCALAR);
        assertThat(Function.lookup("nope")).isNull();
        assertThat(Function.all()).hasSize(70);
        assertThat(PromQLParser.parse("label_join(x, \"d\", \",\", \"a\", \"b\", \"c\")").type()).isEqualTo(ValueType.VECTOR);
        assertThat(PromQLParser.parse("time()").type()).isEqualTo(ValueType.SCALAR);
    }

    @Test
    void errorsAreBadDataWithLineAndColumn() {
        ThanosException e = (ThanosException) catchThrowable("sum(\n  rate(x[5m]) +\n)");
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
        assertThat(e.getMessage()).isEqualTo("3:1: parse error: unexpected \")\"");
        assertThat(((ParseException) e).position()).isEqualTo(21);
        // Columns count bytes, as in Prometheus.
        assertThat(catchThrowable("{a=\"\u00e9\"} +").getMessage()).isEqualTo("1:11: parse error: unexpected end of input");
    }

    private static Throwable catchThrowable(String q) {
        try {
            PromQLParser.parse(q);
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("no error for " + q);
    }

    @Test
    void printerRoundTrips() {
        String[] queries = {
            "sum without (a) (rate(x{y=~\"z|w\"}[5m] offset 1w)) / on (k) group_left (l) max(y)",
            "-(1 + 2) ^ 3", "a > bool 1e+06", "x @ -12.345 offset -1m", "label_join(x, \"a\", \"tab\\there\")",
            "histogram_quantile(0.9, sum by (le) (rate(b[1h:5m] @ start())))", "a unless ignoring (b) c",
            "label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")", "{__name__=~\"a.*\",b!=\"\"}", "0.000012"};
        for (String q : queries) {
            Expr e = PromQLParser.parse(q);
            assertThat(PromQLParser.parse(e.toString()).toString()).as(q).isEqualTo(e.toString());
        }
        assertThat(PromQLParser.parse("0.000012").toString()).isEqualTo("1.2e-05");
        assertThat(PromQLParser.parse("12340000").toString()).isEqualTo("1.234e+07");
        assertThat(PromQLParser.parse("x{a=\"\\n\\\"\"}").toString()).isEqualTo("x{a=\"\\n\\\"\"}");
    }
}
