package io.thanosj.promql.parser;

/** One lexed token: its kind, start offset (in chars) and the raw text. */
record Token(TokenType type, int pos, String val) {

    int end() {
        return pos + val.length();
    }

    /** The token as Prometheus's error messages describe it, e.g. {@code number "1"} or {@code <op:+>}. */
    String desc() {
        switch (type) {
            case EOF:
                return "end of input";
            case IDENTIFIER:
                return "identifier " + GoStrconv.quote(val);
            case METRIC_IDENTIFIER:
                return "metric identifier " + GoStrconv.quote(val);
            case STRING:
                return "string " + shortQuote(val);
            case NUMBER:
                return "number " + shortQuote(val);
            case DURATION:
                return "duration " + shortQuote(val);
            case AT:
                return "\"<Item 57385>\" <op:@>"; // Prometheus 2.42 has no name for '@' and says so
            default:
                if (type.isOperator()) {
                    return "<op:" + val + ">";
                }
                if (type.isAggregator()) {
                    return "<aggr:" + val + ">";
                }
                if (type.isKeyword()) {
                    return "<" + val + ">";
                }
                return shortQuote(val);
        }
    }

    /** Go's {@code %.10q...} for long values, {@code %q} otherwise. */
    private static String shortQuote(String v) {
        if (v.codePointCount(0, v.length()) > 10) {
            return GoStrconv.quote(v.substring(0, v.offsetByCodePoints(0, 10))) + "...";
        }
        return GoStrconv.quote(v);
    }
}
