package io.thanosj.promql.parser;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;

/**
 * A query that does not parse or type-check. The message is Prometheus's: {@code 1:5: parse error:
 * unexpected ...}, with line and byte column of the offending token.
 */
public final class ParseException extends ThanosException {
    private static final long serialVersionUID = 1L;
    private final int position;
    private final String detail;

    ParseException(String query, int charPos, String detail) {
        super(ErrorCode.BAD_DATA, locate(query, charPos) + " parse error: " + detail);
        this.position = charPos;
        this.detail = detail;
    }

    /** Offset (in chars) of the error in the query. */
    public int position() {
        return position;
    }

    /** The message without the position prefix. */
    public String detail() {
        return detail;
    }

    private static String locate(String query, int charPos) {
        if (charPos < 0 || charPos > query.length()) {
            return "invalid position:";
        }
        int line = 1;
        int lastBreak = -1;
        for (int i = 0; i < charPos; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        int bytePos = GoStrconv.utf8Offset(query, charPos);
        int byteBreak = lastBreak < 0 ? -1 : GoStrconv.utf8Offset(query, lastBreak);
        return line + ":" + (bytePos - byteBreak) + ":";
    }
}
