package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import io.thanosj.model.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus test script: load, clear and eval commands, as in Prometheus 2.42's promql/test.go. */
final class TestScript {
    private static final Pattern LOAD = Pattern.compile("^load\\s+(.+?)$");
    private static final Pattern EVAL =
            Pattern.compile("^eval(?:_(fail|ordered))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");

    sealed interface Command permits Load, Clear, Eval {}

    record Load(long intervalMs, List<SeriesDesc> series) implements Command {}

    record Clear() implements Command {}

    /** An expected result line: a labelled sample, or (labels == null) a scalar. */
    record Expected(Labels labels, double value, int pos) {}

    record Eval(String expr, long timeMs, int line, boolean fail, boolean ordered, List<Expected> expected,
                boolean scalar) implements Command {}

    final List<Command> commands = new ArrayList<>();

    static TestScript parse(String content) {
        String[] raw = content.split("\n", -1);
        String[] lines = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i].trim();
            lines[i] = l.startsWith("#") ? "" : l;
        }
        TestScript t = new TestScript();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                continue;
            }
            String word = l.split("[\\t ]+", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (word.equals("clear")) {
                t.commands.add(new Clear());
            } else if (word.equals("load")) {
                Matcher m = LOAD.matcher(l);
                if (!m.matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": invalid load command");
                }
                long gap = Durations.parse(m.group(1));
                List<SeriesDesc> series = new ArrayList<>();
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
                    i++;
                    series.add(SeriesDesc.parse(lines[i]));
                }
                t.commands.add(new Load(gap, series));
            } else if (word.startsWith("eval")) {
                Matcher m = EVAL.matcher(l);
                if (!m.matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": invalid eval command");
                }
                int line = i + 1;
                long at = Durations.parse(m.group(2) == null ? "" : m.group(2));
                List<Expected> expected = new ArrayList<>();
                boolean scalar = false;
                for (int j = 1; i + 1 < lines.length && !lines[i + 1].isEmpty(); j++) {
                    i++;
                    String def = lines[i];
                    Double num = tryNumber(def);
                    if (num != null) {
                        expected.add(new Expected(null, num, 0));
                        scalar = true;
                        break;
                    }
                    SeriesDesc sd = SeriesDesc.parse(def);
                    if (sd.values().size() != 1) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": expecting one value per series");
                    }
                    expected.add(new Expected(sd.labels(), sd.values().get(0), j));
                }
                t.commands.add(new Eval(m.group(3), at, line, "fail".equals(m.group(1)),
                        "ordered".equals(m.group(1)), expected, scalar));
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + ": invalid command " + l);
            }
        }
        return t;
    }

    private static Double tryNumber(String s) {
        try {
            return SeriesDesc.number(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
