package io.thanosj.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Queries and what Prometheus 2.42 says about them ({@code OK} or its parse error), recorded with
 * Debian's promtool 2.42 ({@code promtool check rules} on a rule per query). Our parser must accept
 * the same queries and reject the others with the same message and position.
 */
@Tag("unit")
class TestParserOracle {

    @TestFactory
    Stream<DynamicTest> sameAsPrometheus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = TestParserOracle.class.getResourceAsStream("/promql/parser-oracle.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int tab = line.lastIndexOf('\t');
                String query = line.substring(0, tab);
                String want = line.substring(tab + 1);
                tests.add(DynamicTest.dynamicTest(query, () -> assertThat(outcome(query)).isEqualTo(want)));
            }
        }
        return tests.stream();
    }

    static String outcome(String query) {
        try {
            Expr e = PromQLParser.parse(query);
            // Whatever parses must print to something that parses to the same print.
            assertThat(PromQLParser.parse(e.toString()).toString()).isEqualTo(e.toString());
            return "OK";
        } catch (ParseException e) {
            return e.getMessage();
        }
    }
}
