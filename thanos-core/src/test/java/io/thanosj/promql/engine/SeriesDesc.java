package io.thanosj.promql.engine;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.promql.parser.GoStrconv;
import io.thanosj.promql.parser.PromQLParser;
import io.thanosj.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * A series line of Prometheus's test-script format: {@code metric{a="b"} 1 2+3x4 _ _x2 stale}, as
 * read by {@code parser.ParseSeriesDesc} in Prometheus 2.42. Omitted values are null entries.
 */
record SeriesDesc(Labels labels, List<Double> values) {
    static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    static SeriesDesc parse(String line) {
        int split = seriesEnd(line);
        String series = line.substring(0, split).trim();
        String rest = line.substring(split).trim();
        return new SeriesDesc(parseLabels(series), parseValues(rest));
    }

    /** End of the series part: after the closing brace (skipping quoted strings) or the first blank. */
    private static int seriesEnd(String line) {
        int brace = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '{') {
                brace = i;
                break;
            }
            if (Character.isWhitespace(c)) {
                return i;
            }
        }
        if (brace < 0) {
            return line.length();
        }
        char quote = 0;
        for (int i = brace + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '}') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unclosed brace in series description: " + line);
    }

    static Labels parseLabels(String series) {
        if (series.equals("{}")) {
            return Labels.EMPTY;
        }
        VectorSelector vs = (VectorSelector) PromQLParser.parse(series);
        LabelsBuilder b = new LabelsBuilder();
        for (Matcher m : vs.matchers()) {
            if (m.type() != MatchType.EQUAL) {
                throw new IllegalArgumentException("series description needs equality matchers: " + series);
            }
            b.set(m.name(), m.value());
        }
        return b.build();
    }

    static List<Double> parseValues(String s) {
        List<Double> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String item : s.trim().split("\\s+")) {
            if (item.startsWith("_")) {
                int n = item.length() == 1 ? 1 : Integer.parseInt(item.substring(2));
                for (int i = 0; i < n; i++) {
                    out.add(null);
                }
                continue;
            }
            if (item.equals("stale")) {
                out.add(STALE);
                continue;
            }
            int x = item.indexOf('x');
            String head = x < 0 ? item : item.substring(0, x);
            int times = x < 0 ? -1 : Integer.parseInt(item.substring(x + 1));
            int op = -1;
            for (int i = 1; i < head.length(); i++) {
                char c = head.charAt(i);
                char prev = head.charAt(i - 1);
                if ((c == '+' || c == '-') && prev != 'e' && prev != 'E') {
                    op = i;
                    break;
                }
            }
            if (op < 0) {
                double v = number(head);
                int n = times < 0 ? 1 : times + 1;
                for (int i = 0; i < n; i++) {
                    out.add(v);
                }
                continue;
            }
            double v = number(head.substring(0, op));
            double delta = number(head.substring(op));
            if (times < 0) {
                throw new IllegalArgumentException("expected 'x' after increment in " + item);
            }
            out.add(v);
            for (int i = 1; i <= times; i++) {
                v += delta;
                out.add(v);
            }
        }
        return out;
    }

    /** Go's parseNumber of promql/test.go: ParseInt with base prefixes, else ParseFloat. */
    static double number(String s) {
        return GoStrconv.parseNumberLiteral(s);
    }
}
