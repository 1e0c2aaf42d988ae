package io.thanosj.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.thanosj.server.ComponentRuntime;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The web UI in a real headless Chromium: a query given in the URL runs through the querier's API and
 * the page renders the table and the graph. The DOM after the page's scripts ran is what we check.
 */
@Tag("integration")
class TestQueryUi {
    static final String CHROMIUM = "/usr/bin/chromium";
    static ComponentRuntime rt;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM)) && System.getenv("CI") == null) {
            org.junit.jupiter.api.Assumptions.abort("chromium is not installed (apt-get install chromium); CI installs it");
        }
        QueryCommand cmd = new QueryCommand();
        new CommandLine(cmd).parseArgs("--http-address=127.0.0.1:0", "--grpc-address=127.0.0.1:0", "--log.level=warn");
        rt = cmd.start();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    static String dumpDom(String pathAndQuery, Path screenshot) throws Exception {
        List<String> args = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chrome"), "--window-size=1200,900",
                "--virtual-time-budget=15000"));
        if (screenshot != null) {
            args.add("--screenshot=" + screenshot);
        } else {
            args.add("--dump-dom");
        }
        args.add("http://127.0.0.1:" + rt.httpPort() + pathAndQuery);
        Path out = Files.createTempFile(tmp, "dom", ".html");
        Process p = new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return Files.readString(out);
    }

    static String graphUrl(String expr, String tab) {
        return "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&g0.tab=" + tab + "&g0.range_input=1h";
    }

    @Test
    void tableShowsTheQueryResult() throws Exception {
        String dom = dumpDom(graphUrl("label_replace(vector(42), \"job\", \"ui\", \"\", \"\")", "1"), null);
        assertThat(dom).contains("id=\"panel-table\" class=\"panel\" data-rendered=\"1\"");
        assertThat(dom).contains("<tr class=\"result-row\"><td>{job=\"ui\"}</td><td class=\"value\">42</td></tr>");
        assertThat(dom).doesNotContain("Error executing query");
    }

    @Test
    void graphPlotsTheRangeResult() throws Exception {
        String dom = dumpDom(graphUrl("label_replace(vector(7), \"job\", \"ui\", \"\", \"\")", "0"), null);
        assertThat(dom).contains("id=\"panel-graph\" class=\"panel\" data-rendered=\"1\"");
        // Chart.js sized its canvas, i.e. it drew.
        assertThat(dom).containsPattern("<canvas id=\"chart\"[^>]*width=\"[1-9][0-9]+\"");
        assertThat(dom).doesNotContain("Error executing query");
    }

    @Test
    void badQueryShowsTheParseError() throws Exception {
        String dom = dumpDom(graphUrl("sum(", "1"), null);
        assertThat(dom).contains("Error executing query: bad_data: invalid parameter \"query\": 1:");
    }

    @Test
    void storesAndFlagsPagesRender() throws Exception {
        assertThat(dumpDom("/flags", null)).contains("<td>query.replica-label</td>");
        assertThat(dumpDom("/stores", null)).contains("<h2>Stores</h2>");
    }
}
