package io.thanosj.promql.engine;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.promql.parser.Call;
import io.thanosj.promql.parser.PromQLParser;
import java.util.Map;

/** label_replace() and label_join(): new labels computed once per series, values passed through. */
final class LabelFunctions {
    private LabelFunctions() {}

    static StepVector labelReplace(Evaluator ev, Call c, Grid g) {
        String dst = Functions.stringArg(c.args().get(1));
        String repl = Functions.stringArg(c.args().get(2));
        String src = Functions.stringArg(c.args().get(3));
        String regex = Functions.stringArg(c.args().get(4));
        Pattern re;
        try {
            re = Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw Functions.execError("invalid regular expression in label_replace(): " + regex);
        }
        if (!PromQLParser.isValidLabelName(dst)) {
            throw Functions.execError("invalid destination label name in label_replace(): " + dst);
        }
        StepVector v = ev.evalVector(c.args().get(0), g);
        for (StepSeries s : v.series) {
            String srcVal = s.labels.get(src);
            Matcher m = re.matcher(srcVal);
            if (!m.matches()) {
                continue;
            }
            String res = expand(repl, m, re.namedGroups());
            LabelsBuilder b = s.labels.toBuilder().delete(dst);
            if (!res.isEmpty()) {
                b.set(dst, res);
            }
            s.labels = b.build();
        }
        return StepVector.mergeByLabels(g.n, v.series);
    }

    static StepVector labelJoin(Evaluator ev, Call c, Grid g) {
        String dst = Functions.stringArg(c.args().get(1));
        String sep = Functions.stringArg(c.args().get(2));
        String[] srcs = new String[c.args().size() - 3];
        for (int i = 3; i < c.args().size(); i++) {
            String src = Functions.stringArg(c.args().get(i));
            if (!PromQLParser.isValidLabelName(src)) {
                throw Functions.execError("invalid source label name in label_join(): " + src);
            }
            srcs[i - 3] = src;
        }
        if (!PromQLParser.isValidLabelName(dst)) {
            throw Functions.execError("invalid destination label name in label_join(): " + dst);
        }
        StepVector v = ev.evalVector(c.args().get(0), g);
        StringBuilder sb = new StringBuilder();
        for (StepSeries s : v.series) {
            sb.setLength(0);
            for (int i = 0; i < srcs.length; i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(s.labels.get(srcs[i]));
            }
            LabelsBuilder b = s.labels.toBuilder();
            if (sb.length() == 0) {
                b.delete(dst);
            } else {
                b.set(dst, sb.toString());
            }
            s.labels = b.build();
        }
        return StepVector.mergeByLabels(g.n, v.series);
    }

    /** Go's Regexp.ExpandString: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and {@code $$}. */
    static String expand(String template, Matcher m, Map<String, Integer> names) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = template.length();
        while (i < n) {
            int d = template.indexOf('$', i);
            if (d < 0) {
                out.append(template, i, n);
                break;
            }
            out.append(template, i, d);
            i = d + 1;
            if (i < n && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            boolean brace = i < n && template.charAt(i) == '{';
            int j = brace ? i + 1 : i;
            int nameStart = j;
            while (j < n) {
                int cp = template.codePointAt(j);
                if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                    break;
                }
                j += Character.charCount(cp);
            }
            if (j == nameStart || (brace && (j >= n || template.charAt(j) != '}'))) {
                out.append('$'); // malformed: the dollar is literal text
                continue;
            }
            String name = template.substring(nameStart, j);
            i = brace ? j + 1 : j;
            int num = groupNumber(name);
            if (num >= 0) {
                if (num <= m.groupCount() && m.group(num) != null) {
                    out.append(m.group(num));
                }
            } else {
                Integer idx = names.get(name);
                if (idx != null && m.group(idx) != null) {
                    out.append(m.group(idx));
                }
            }
        }
        return out.toString();
    }

    private static int groupNumber(String name) {
        int num = 0;
        for (int k = 0; k < name.length(); k++) {
            char ch = name.charAt(k);
            if (ch < '0' || ch > '9' || num >= 100_000_000) {
                return -1;
            }
            num = num * 10 + (ch - '0');
        }
        if (name.charAt(0) == '0' && name.length() > 1) {
            return -1;
        }
        return num;
    }
}
