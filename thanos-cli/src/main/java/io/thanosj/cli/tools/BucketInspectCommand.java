package io.thanosj.cli.tools;

import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thanos tools bucket inspect}: every block's meta.json as a table, CSV or TSV. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Inspect all blocks in the bucket in detailed, table-like way.")
final class BucketInspectCommand implements Callable<Integer> {
    /** Thanos's downsampling levels and the block ranges at which they start (pkg/compact/downsample). */
    static final long RES_LEVEL1 = 5 * 60 * 1000L;
    static final long RES_LEVEL2 = 60 * 60 * 1000L;
    static final long RES_LEVEL1_RANGE = 40 * 60 * 60 * 1000L;
    static final long RES_LEVEL2_RANGE = 10 * 24 * 60 * 60 * 1000L;

    @Spec
    CommandSpec spec;

    @Mixin
    ObjstoreFlags objstore;

    @Option(names = {"-l", "--selector"}, paramLabel = "<name>=\\\"<value>\\\"",
            description = "Selects blocks based on label, e.g. '-l key1=\\\"value1\\\" -l key2=\\\"value2\\\"'. All key value pairs must match.")
    List<String> selector = new ArrayList<>();

    @Option(names = "--sort-by", paramLabel = "FROM...", defaultValue = "FROM,UNTIL", split = ",",
            description = "Sort by columns. It's also possible to sort by multiple columns, e.g. '--sort-by FROM --sort-by UNTIL'. "
                    + "I.e., if the 'FROM' value is equal the rows are then further sorted by the 'UNTIL' value.")
    List<String> sortBy;

    @Option(names = "--output", defaultValue = "table",
            description = "Output format for result. Currently supports table, csv, tsv.")
    String output;

    /** Go prints local time; tests pin the zone. */
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        if (!output.equals("table") && !output.equals("csv") && !output.equals("tsv")) {
            throw ThanosException.badData("flag --output: unsupported format \"" + output + "\"; supported are table, csv, tsv");
        }
        Map<String, String> want = parseSelector(selector);
        BlockTable table = new BlockTable();
        try (Bucket bucket = objstore.open()) {
            for (BlockMeta m : BlockMetaFetcher.fetch(bucket)) {
                if (matches(m, want)) {
                    table.add(row(m, zone));
                }
            }
        }
        table.sort(sortBy);
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "csv" -> table.printSeparated(out, ',');
            case "tsv" -> table.printSeparated(out, '\t');
            default -> table.printTable(out);
        }
        out.flush();
        return 0;
    }

    /** Thanos's parseFlagLabels: {@code name="value"}, the value quoted as a Go string. */
    static Map<String, String> parseSelector(List<String> flags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw ThanosException.badData("flag --selector: expected name=\"value\", got " + f);
            }
            String v = f.substring(eq + 1);
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            } else {
                throw ThanosException.badData("flag --selector: the value of " + f.substring(0, eq) + " must be quoted, e.g. "
                        + f.substring(0, eq) + "=\\\"" + v + "\\\"");
            }
            out.put(f.substring(0, eq), v);
        }
        return out;
    }

    static boolean matches(BlockMeta m, Map<String, String> want) {
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(m.thanos().labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static BlockTable.Row row(BlockMeta m, ZoneId zone) {
        long range = m.maxTime() - m.minTime();
        long res = m.thanos().downsampleResolution();
        String untilDown;
        Long untilDownKey;
        if (res == RES_LEVEL2) {
            untilDown = "-";
            untilDownKey = Long.MAX_VALUE;
        } else {
            long left = (res == RES_LEVEL1 ? RES_LEVEL2_RANGE : RES_LEVEL1_RANGE) - range;
            untilDown = GoFormat.millis(left);
            untilDownKey = left;
        }
        StringBuilder labels = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(m.thanos().labels()).entrySet()) {
            if (labels.length() > 0) {
                labels.append(',');
            }
            labels.append(e.getKey()).append('=').append(e.getValue());
        }
        String[] cells = {
            m.ulid(),
            GoFormat.time(m.minTime(), zone),
            GoFormat.time(m.maxTime(), zone),
            GoFormat.millis(range),
            untilDown,
            GoFormat.grouped(m.stats().numSeries()),
            GoFormat.grouped(m.stats().numSamples()),
            GoFormat.grouped(m.stats().numChunks()),
            Integer.toString(m.compaction().level()),
            Boolean.toString(m.compaction().failed()),
            labels.toString(),
            GoFormat.millis(res),
            m.thanos().source(),
        };
        Comparable<?>[] keys = {
            m.ulid(), m.minTime() / 1000, m.maxTime() / 1000, range, untilDownKey, m.stats().numSeries(),
            m.stats().numSamples(), m.stats().numChunks(), (long) m.compaction().level(),
            Boolean.toString(m.compaction().failed()), labels.toString(), res, m.thanos().source(),
        };
        return new BlockTable.Row(cells, keys);
    }
}
