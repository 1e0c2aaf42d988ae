package io.thanosj.promql.parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a PromQL expression into tokens, following the state machine of Prometheus 2.42's
 * {@code promql/parser/lex.go}: braces switch to label-matcher lexing, brackets to duration lexing,
 * and the first lexical error ends the token stream with an {@link TokenType#ERROR} token whose
 * value is the message.
 */
final class Lexer {
    private static final Map<String, TokenType> KEYWORDS = new HashMap<>();

    static {
        KEYWORDS.put("and", TokenType.LAND);
        KEYWORDS.put("or", TokenType.LOR);
        KEYWORDS.put("unless", TokenType.LUNLESS);
        KEYWORDS.put("atan2", TokenType.ATAN2);
        KEYWORDS.put("sum", TokenType.SUM);
        KEYWORDS.put("avg", TokenType.AVG);
        KEYWORDS.put("count", TokenType.COUNT);
        KEYWORDS.put("min", TokenType.MIN);
        KEYWORDS.put("max", TokenType.MAX);
        KEYWORDS.put("group", TokenType.GROUP);
        KEYWORDS.put("stddev", TokenType.STDDEV);
        KEYWORDS.put("stdvar", TokenType.STDVAR);
        KEYWORDS.put("topk", TokenType.TOPK);
        KEYWORDS.put("bottomk", TokenType.BOTTOMK);
        KEYWORDS.put("count_values", TokenType.COUNT_VALUES);
        KEYWORDS.put("quantile", TokenType.QUANTILE);
        KEYWORDS.put("offset", TokenType.OFFSET);
        KEYWORDS.put("by", TokenType.BY);
        KEYWORDS.put("without", TokenType.WITHOUT);
        KEYWORDS.put("on", TokenType.ON);
        KEYWORDS.put("ignoring", TokenType.IGNORING);
        KEYWORDS.put("group_left", TokenType.GROUP_LEFT);
        KEYWORDS.put("group_right", TokenType.GROUP_RIGHT);
        KEYWORDS.put("bool", TokenType.BOOL);
        KEYWORDS.put("start", TokenType.START);
        KEYWORDS.put("end", TokenType.END);
        KEYWORDS.put("inf", TokenType.NUMBER);
        KEYWORDS.put("nan", TokenType.NUMBER);
    }

    private static final int EOF_CHAR = -1;

    private final String input;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int start;
    private int width;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private int stringOpen;
    private boolean done;

    private Lexer(String input) {
        this.input = input;
    }

    /** All tokens up to and including EOF or the first ERROR; comments are dropped. */
    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        while (!l.done) {
            if (l.braceOpen) {
                l.lexInsideBraces();
            } else {
                l.lexStatement();
            }
        }
        return l.out;
    }

    static boolean isKeywordOrAggregator(String word) {
        TokenType t = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
        return t != null && t != TokenType.NUMBER;
    }

    private int next() {
        if (pos >= input.length()) {
            width = 0;
            return EOF_CHAR;
        }
        int cp = input.codePointAt(pos);
        width = Character.charCount(cp);
        pos += width;
        return cp;
    }

    private int peek() {
        int r = next();
        backup();
        return r;
    }

    private void backup() {
        pos -= width;
    }

    private boolean accept(String valid) {
        int r = next();
        if (r != EOF_CHAR && valid.indexOf(r) >= 0) {
            return true;
        }
        backup();
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consume
        }
    }

    private void emit(TokenType t) {
        if (t != TokenType.COMMENT) {
            out.add(new Token(t, start, input.substring(start, pos)));
        }
        start = pos;
        if (t == TokenType.EOF) {
            done = true;
        }
    }

    private void error(String message) {
        out.add(new Token(TokenType.ERROR, start, message));
        done = true;
    }

    private void ignore() {
        start = pos;
    }

    static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isAlpha(int r) {
        return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
    }

    static boolean isDigit(int r) {
        return '0' <= r && r <= '9';
    }

    static boolean isAlphaNumeric(int r) {
        return isAlpha(r) || isDigit(r);
    }

    private void lexStatement() {
        if (input.startsWith("#", pos)) {
            lexLineComment();
            return;
        }
        int r = next();
        switch (r) {
            case EOF_CHAR -> {
                if (parenDepth != 0) {
                    error("unclosed left parenthesis");
                } else if (bracketOpen) {
                    error("unclosed left bracket");
                } else {
                    emit(TokenType.EOF);
                }
            }
            case ',' -> emit(TokenType.COMMA);
            case '*' -> emit(TokenType.MUL);
            case '/' -> emit(TokenType.DIV);
            case '%' -> emit(TokenType.MOD);
            case '+' -> emit(TokenType.ADD);
            case '-' -> emit(TokenType.SUB);
            case '^' -> emit(TokenType.POW);
            case '=' -> {
                int t = peek();
                if (t == '=') {
                    next();
                    emit(TokenType.EQLC);
                } else if (t == '~') {
                    error("unexpected character after '=': " + GoStrconv.quoteRune(t));
                } else {
                    emit(TokenType.EQL);
                }
            }
            case '!' -> {
                int t = next();
                if (t != '=') {
                    error("unexpected character after '!': " + quoteRuneOrEof(t));
                } else {
                    emit(TokenType.NEQ);
                }
            }
            case '<' -> {
                if (peek() == '=') {
                    next();
                    emit(TokenType.LTE);
                } else {
                    emit(TokenType.LSS);
                }
            }
            case '>' -> {
                if (peek() == '=') {
                    next();
                    emit(TokenType.GTE);
                } else {
                    emit(TokenType.GTR);
                }
            }
            case '"', '\'' -> {
                stringOpen = r;
                lexString();
            }
            case '`' -> {
                stringOpen = r;
                lexRawString();
            }
            case '(' -> {
                emit(TokenType.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(TokenType.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) {
                    // As in Prometheus, the error replaces the parenthesis token and points after it.
                    out.remove(out.size() - 1);
                    error("unexpected right parenthesis ')'");
                }
            }
            case '{' -> {
                emit(TokenType.LEFT_BRACE);
                braceOpen = true;
            }
            case '[' -> {
                if (bracketOpen) {
                    error("unexpected left bracket '['");
                } else {
                    gotColon = false;
                    emit(TokenType.LEFT_BRACKET);
                    while (isSpace(peek())) {
                        next();
                    }
                    ignore();
                    bracketOpen = true;
                    lexDuration();
                }
            }
            case ']' -> {
                if (!bracketOpen) {
                    error("unexpected right bracket ']'");
                } else {
                    emit(TokenType.RIGHT_BRACKET);
                    bracketOpen = false;
                }
            }
            case '@' -> emit(TokenType.AT);
            default -> {
                if (isSpace(r)) {
                    lexSpace();
                } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
                    backup();
                    lexNumberOrDuration();
                } else if (r == ':' && bracketOpen) {
                    if (gotColon) {
                        error("unexpected colon ':'");
                    } else {
                        emit(TokenType.COLON);
                        gotColon = true;
                    }
                } else if (isAlpha(r) || r == ':') {
                    backup();
                    lexKeywordOrIdentifier();
                } else {
                    error("unexpected character: " + GoStrconv.quoteRune(r));
                }
            }
        }
    }

    private static String quoteRuneOrEof(int r) {
        return r == EOF_CHAR ? "'\\uffff'" : GoStrconv.quoteRune(r);
    }

    private void lexSpace() {
        while (isSpace(peek())) {
            next();
        }
        ignore();
    }

    private void lexLineComment() {
        pos += 1;
        int r = next();
        while (r != '\n' && r != '\r' && r != EOF_CHAR) {
            r = next();
        }
        backup();
        emit(TokenType.COMMENT);
    }

    private void lexInsideBraces() {
        if (input.startsWith("#", pos)) {
            lexLineComment();
            return;
        }
        int r = next();
        if (r == EOF_CHAR) {
            error("unexpected end of input inside braces");
        } else if (isSpace(r)) {
            lexSpace();
        } else if (isAlpha(r)) {
            backup();
            while (isAlphaNumeric(peek())) {
                next();
            }
            emit(TokenType.IDENTIFIER);
        } else if (r == ',') {
            emit(TokenType.COMMA);
        } else if (r == '"' || r == '\'') {
            stringOpen = r;
            lexString();
        } else if (r == '`') {
            stringOpen = r;
            lexRawString();
        } else if (r == '=') {
            if (next() == '~') {
                emit(TokenType.EQL_REGEX);
            } else {
                backup();
                emit(TokenType.EQL);
            }
        } else if (r == '!') {
            int nr = next();
            if (nr == '~') {
                emit(TokenType.NEQ_REGEX);
            } else if (nr == '=') {
                emit(TokenType.NEQ);
            } else {
                error("unexpected character after '!' inside braces: " + quoteRuneOrEof(nr));
            }
        } else if (r == '{') {
            error("unexpected left brace '{'");
        } else if (r == '}') {
            emit(TokenType.RIGHT_BRACE);
            braceOpen = false;
        } else {
            error("unexpected character inside braces: " + GoStrconv.quoteRune(r));
        }
    }

    private void lexString() {
        while (true) {
            int r = next();
            if (r == '\\') {
                if (!lexEscape()) {
                    return;
                }
            } else if (r == EOF_CHAR || r == '\n') {
                error("unterminated quoted string");
                return;
            } else if (r == stringOpen) {
                break;
            }
        }
        emit(TokenType.STRING);
    }

    private void lexRawString() {
        while (true) {
            int r = next();
            if (r == EOF_CHAR) {
                error("unterminated raw string");
                return;
            }
            if (r == stringOpen) {
                break;
            }
        }
        emit(TokenType.STRING);
    }

    /** Validates one escape sequence after a backslash; false (with an error emitted) when invalid. */
    private boolean lexEscape() {
        int ch = next();
        int n;
        int base;
        long max;
        switch (ch) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\':
                return true;
            case '0', '1', '2', '3', '4', '5', '6', '7':
                n = 3;
                base = 8;
                max = 255;
                break;
            case 'x':
                ch = next();
                n = 2;
                base = 16;
                max = 255;
                break;
            case 'u':
                ch = next();
                n = 4;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case 'U':
                ch = next();
                n = 8;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case EOF_CHAR:
                error("escape sequence not terminated");
                return false;
            default:
                if (ch == stringOpen) {
                    return true;
                }
                error("unknown escape sequence " + GoStrconv.formatRuneU(ch));
                return false;
        }
        long x = 0;
        while (n > 0) {
            int d = ch == EOF_CHAR ? 99 : Character.digit(ch, 16);
            if (d < 0 || d >= base) {
                if (ch == EOF_CHAR) {
                    error("escape sequence not terminated");
                } else {
                    error("illegal character " + GoStrconv.formatRuneU(ch) + " in escape sequence");
                }
                return false;
            }
            x = x * base + d;
            n--;
            if (n > 0) {
                ch = next();
            }
        }
        if (x > max || (base == 16 && 0xD800 <= x && x < 0xE000)) {
            error("escape sequence is an invalid Unicode code point");
            return false;
        }
        return true;
    }

    private void lexNumberOrDuration() {
        if (scanNumber()) {
            emit(TokenType.NUMBER);
            return;
        }
        if (acceptRemainingDuration()) {
            backup();
            emit(TokenType.DURATION);
            return;
        }
        error("bad number or duration syntax: " + GoStrconv.quote(input.substring(start, pos)));
    }

    /** Right after '[' only a duration may follow. */
    private void lexDuration() {
        if (scanNumber()) {
            error("missing unit character in duration");
            return;
        }
        if (!acceptRemainingDuration()) {
            error("bad duration syntax: " + GoStrconv.quote(input.substring(start, pos)));
            return;
        }
        backup();
        emit(TokenType.DURATION);
    }

    private boolean scanNumber() {
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            digits = "0123456789abcdefABCDEF";
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (accept("eE")) {
            accept("+-");
            acceptRun("0123456789");
        }
        return !isAlphaNumeric(peek());
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        accept("s"); // "ms"; bad units such as "hs" are caught when the duration is parsed
        while (accept("0123456789")) {
            acceptRun("0123456789");
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        return !isAlphaNumeric(next());
    }

    private void lexKeywordOrIdentifier() {
        while (true) {
            int r = next();
            if (!(isAlphaNumeric(r) || r == ':')) {
                backup();
                break;
            }
        }
        String word = input.substring(start, pos);
        TokenType kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
        if (kw != null) {
            emit(kw);
        } else if (word.indexOf(':') < 0) {
            emit(TokenType.IDENTIFIER);
        } else {
            emit(TokenType.METRIC_IDENTIFIER);
        }
    }
}
