package io.thanosj.promql.parser;

import io.thanosj.model.Durations;
import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses PromQL (Prometheus 2.42) into an {@link Expr} tree: a hand-written Pratt parser with
 * Prometheus's operator precedence, followed by the same type checks Prometheus runs on the tree.
 * Every failure is a {@link ParseException} carrying Prometheus's message and position.
 */
public final class PromQLParser {
    private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static final int UNARY_OPERAND_PRECEDENCE = BinaryOp.POW.precedence();
    /**
     * Deepest expression tree accepted. Prometheus has no limit (Go stacks grow); ours bounds the
     * recursion of parser, checker and evaluator so that no query can overflow a thread's stack.
     */
    public static final int MAX_DEPTH = 500;

    private final String input;
    private final List<Token> tokens;
    private int idx;
    private int depth;

    private PromQLParser(String input) {
        this.input = input;
        this.tokens = Lexer.lex(input);
    }

    /** Parses and type-checks an expression. */
    public static Expr parse(String query) {
        PromQLParser p = new PromQLParser(query);
        if (p.peek().type() == TokenType.EOF) {
            throw p.error(0, "no expression found in input");
        }
        try {
            Expr e = p.parseExpr(0);
            Token t = p.peek();
            if (t.type() != TokenType.EOF) {
                throw p.unexpected(t, "", "");
            }
            if (depth(e) > MAX_DEPTH) {
                // Position 0: finding the start of a very deep tree would itself recurse.
                throw p.error(0, "expression nested too deeply: more than " + MAX_DEPTH + " levels");
            }
            return p.check(e);
        } catch (StackOverflowError so) {
            // Only with unusually small thread stacks: the depth limit keeps default stacks safe.
            throw p.error(0, "expression nested too deeply for this thread's stack");
        }
    }

    /** Height of the tree, computed without recursion. */
    static int depth(Expr root) {
        java.util.ArrayDeque<Expr> nodes = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        int max = 0;
        while (!nodes.isEmpty()) {
            Expr e = nodes.pop();
            int d = depths.pop();
            max = Math.max(max, d);
            for (Expr c : e.children()) {
                nodes.push(c);
                depths.push(d + 1);
            }
        }
        return max;
    }

    /** True when the string is a valid label name. */
    public static boolean isValidLabelName(String s) {
        return LABEL_NAME.matcher(s).matches();
    }

    // ---- token access

    private Token peek() {
        Token t = tokens.get(idx);
        if (t.type() == TokenType.ERROR) {
            throw error(t.pos(), t.val());
        }
        return t;
    }

    private Token next() {
        Token t = peek();
        if (t.type() != TokenType.EOF) {
            idx++;
        }
        return t;
    }

    private ParseException error(int pos, String msg) {
        return new ParseException(input, pos, msg);
    }

    private ParseException unexpected(Token t, String context, String expected) {
        StringBuilder sb = new StringBuilder("unexpected ").append(t.desc());
        if (!context.isEmpty()) {
            sb.append(" in ").append(context);
        }
        if (!expected.isEmpty()) {
            sb.append(", expected ").append(expected);
        }
        return error(t.pos(), sb.toString());
    }

    // ---- expressions

    private Expr parseExpr(int minPrecedence) {
        if (++depth > MAX_DEPTH) {
            throw error(peek().pos(), "expression nested too deeply: more than " + MAX_DEPTH + " levels");
        }
        try {
            return parseBinary(minPrecedence);
        } finally {
            depth--;
        }
    }

    private Expr parseBinary(int minPrecedence) {
        Expr lhs = parseUnary();
        while (true) {
            Token t = peek();
            BinaryOp op = BinaryOp.of(t.type());
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            next();
            boolean returnBool = false;
            if (peek().type() == TokenType.BOOL) {
                next();
                returnBool = true;
            }
            VectorMatching vm = new VectorMatching(VectorMatching.Card.ONE_TO_ONE, List.of(), false, List.of());
            TokenType mt = peek().type();
            if (mt == TokenType.ON || mt == TokenType.IGNORING) {
                next();
                List<String> labels = parseGroupingLabels();
                VectorMatching.Card card = VectorMatching.Card.ONE_TO_ONE;
                List<String> include = List.of();
                TokenType gt = peek().type();
                if (gt == TokenType.GROUP_LEFT || gt == TokenType.GROUP_RIGHT) {
                    next();
                    card = gt == TokenType.GROUP_LEFT ? VectorMatching.Card.MANY_TO_ONE : VectorMatching.Card.ONE_TO_MANY;
                    if (peek().type() == TokenType.LEFT_PAREN) {
                        include = parseGroupingLabels();
                    }
                }
                vm = new VectorMatching(card, labels, mt == TokenType.ON, include);
            }
            int nextMin = op.isRightAssociative() ? op.precedence() : op.precedence() + 1;
            Expr rhs = parseExpr(nextMin);
            lhs = new BinaryExpr(op, lhs, rhs, vm, returnBool, t.pos());
        }
    }

    private Expr parseUnary() {
        Token t = peek();
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            next();
            // Unary operators bind like multiplication: only '^' (and postfix modifiers) bind tighter.
            Expr operand = parseExpr(UNARY_OPERAND_PRECEDENCE);
            boolean negate = t.type() == TokenType.SUB;
            if (operand instanceof NumberLiteral nl) {
                return new NumberLiteral(negate ? -nl.value() : nl.value(), t.pos(), nl.end());
            }
            return new UnaryExpr(negate, operand, t.pos());
        }
        return parsePostfix(parsePrimary());
    }

    private Expr parsePrimary() {
        Token t = next();
        switch (t.type()) {
            case NUMBER:
                return new NumberLiteral(number(t), t.pos(), t.end());
            case STRING:
                return new StringLiteral(unquote(t), t.pos(), t.end());
            case LEFT_PAREN: {
                Expr e = parseExpr(0);
                Token c = next();
                if (c.type() != TokenType.RIGHT_PAREN) {
                    throw unexpected(c, "", "");
                }
                return new ParenExpr(e, t.pos(), c.end());
            }
            case LEFT_BRACE:
                idx--;
                return parseSelector(null, t.pos());
            case IDENTIFIER:
                if (peek().type() == TokenType.LEFT_PAREN) {
                    return parseCall(t);
                }
                return parseSelector(t, t.pos());
            case METRIC_IDENTIFIER:
            case BY:
            case WITHOUT:
            case LAND:
            case LOR:
            case LUNLESS:
            case OFFSET:
            case START:
            case END:
                return parseSelector(t, t.pos());
            default:
                if (t.type().isAggregator()) {
                    TokenType n = peek().type();
                    if (n == TokenType.LEFT_PAREN || n == TokenType.BY || n == TokenType.WITHOUT) {
                        return parseAggregate(t);
                    }
                    return parseSelector(t, t.pos());
                }
                throw unexpected(t, "", "");
        }
    }

    private Expr parsePostfix(Expr e) {
        while (true) {
            switch (peek().type()) {
                case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
                case OFFSET -> e = parseOffset(e);
                case AT -> e = parseAt(e);
                default -> {
                    return e;
                }
            }
        }
    }

    private double number(Token t) {
        try {
            return GoStrconv.parseNumberLiteral(t.val());
        } catch (NumberFormatException e) {
            throw error(t.pos(), "error parsing number: " + e.getMessage());
        }
    }

    private String unquote(Token t) {
        try {
            return Unquote.unquote(t.val());
        } catch (IllegalArgumentException e) {
            throw error(t.pos(), "error unquoting string " + GoStrconv.quote(t.val()) + ": " + e.getMessage());
        }
    }

    private long duration(Token t) {
        long d;
        try {
            d = Durations.parse(t.val());
        } catch (IllegalArgumentException e) {
            throw error(t.pos(), e.getMessage());
        }
        if (d == 0) {
            throw error(t.pos(), "duration must be greater than 0");
        }
        return d;
    }

    // ---- selectors

    private VectorSelector parseSelector(Token nameTok, int start) {
        List<Matcher> matchers = new ArrayList<>();
        int end = nameTok == null ? start : nameTok.end();
        if (peek().type() == TokenType.LEFT_BRACE) {
            end = parseLabelMatchers(matchers);
        }
        String name = "";
        if (nameTok != null) {
            name = nameTok.val();
            matchers.add(Matcher.equal(Labels.METRIC_NAME, name));
        }
        return new VectorSelector(name, matchers, 0, AtModifier.NONE, 0, start, end);
    }

    /** Parses {@code {a="b", ...}} into {@code out}; returns the end offset of the closing brace. */
    private int parseLabelMatchers(List<Matcher> out) {
        next(); // '{'
        if (peek().type() == TokenType.RIGHT_BRACE) {
            return next().end();
        }
        while (true) {
            Token label = next();
            if (label.type() != TokenType.IDENTIFIER) {
                throw unexpected(label, "label matching", "identifier or \"}\"");
            }
            Token op = next();
            MatchType type = switch (op.type()) {
                case EQL -> MatchType.EQUAL;
                case NEQ -> MatchType.NOT_EQUAL;
                case EQL_REGEX -> MatchType.REGEX;
                case NEQ_REGEX -> MatchType.NOT_REGEX;
                default -> throw unexpected(op, "label matching", "label matching operator");
            };
            Token value = next();
            if (value.type() != TokenType.STRING) {
                throw unexpected(value, "label matching", "string");
            }
            String v = unquote(value);
            try {
                out.add(Matcher.of(type, label.val(), v));
            } catch (IllegalArgumentException e) {
                throw error(label.pos(), e.getMessage());
            }
            Token sep = next();
            if (sep.type() == TokenType.RIGHT_BRACE) {
                return sep.end();
            }
            if (sep.type() != TokenType.COMMA) {
                throw unexpected(sep, "label matching", "\",\" or \"}\"");
            }
            if (peek().type() == TokenType.RIGHT_BRACE) {
                return next().end();
            }
        }
    }

    private Expr parseRangeOrSubquery(Expr e) {
        Token lb = next();
        Token d = next();
        if (d.type() != TokenType.DURATION) {
            throw unexpected(d, "subquery selector", "duration");
        }
        long range = duration(d);
        Token t = next();
        if (t.type() == TokenType.RIGHT_BRACKET) {
            String msg = null;
            if (!(e instanceof VectorSelector vs)) {
                msg = "ranges only allowed for vector selectors";
            } else if (vs.offsetMs() != 0) {
                msg = "no offset modifiers allowed before range";
            } else if (vs.at() != AtModifier.NONE) {
                msg = "no @ modifiers allowed before range";
            }
            if (msg != null) {
                throw error(lb.pos(), msg);
            }
            return new MatrixSelector((VectorSelector) e, range, t.end());
        }
        if (t.type() != TokenType.COLON) {
            throw unexpected(t, "subquery or range", "\":\" or \"]\"");
        }
        Token s = next();
        long step = 0;
        int end;
        if (s.type() == TokenType.DURATION) {
            step = duration(s);
            Token rb = next();
            if (rb.type() != TokenType.RIGHT_BRACKET) {
                throw unexpected(rb, "subquery selector", "\"]\"");
            }
            end = rb.end();
        } else if (s.type() == TokenType.RIGHT_BRACKET) {
            end = s.end();
        } else {
            throw unexpected(s, "subquery selector", "duration or \"]\"");
        }
        return new SubqueryExpr(e, range, step, 0, AtModifier.NONE, 0, end);
    }

    private Expr parseOffset(Expr e) {
        next(); // offset
        Token t = next();
        boolean negative = false;
        if (t.type() == TokenType.SUB) {
            negative = true;
            t = next();
        }
        if (t.type() != TokenType.DURATION) {
            throw unexpected(t, "offset", "duration");
        }
        long d = duration(t);
        long offset = negative ? -d : d;
        int end = t.end();
        if (e instanceof VectorSelector vs) {
            checkOffsetUnset(e, vs.offsetMs());
            return vs.withOffset(offset, end);
        }
        if (e instanceof MatrixSelector ms) {
            checkOffsetUnset(e, ms.selector().offsetMs());
            return ms.withSelector(ms.selector().withOffset(offset, ms.selector().end()), end);
        }
        if (e instanceof SubqueryExpr sq) {
            checkOffsetUnset(e, sq.offsetMs());
            return sq.withOffset(offset, end);
        }
        throw error(e.start(),
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private void checkOffsetUnset(Expr e, long current) {
        if (current != 0) {
            throw error(e.start(), "offset may not be set multiple times");
        }
    }

    private Expr parseAt(Expr e) {
        next(); // @
        Token t = next();
        AtModifier kind;
        long ms = 0;
        int end;
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            Token l = next();
            Token r = l.type() == TokenType.LEFT_PAREN ? next() : l;
            if (l.type() != TokenType.LEFT_PAREN || r.type() != TokenType.RIGHT_PAREN) {
                throw unexpected(r, "@", "timestamp");
            }
            kind = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
            end = r.end();
        } else {
            boolean negative = false;
            if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
                negative = t.type() == TokenType.SUB;
                t = next();
            }
            if (t.type() != TokenType.NUMBER) {
                throw unexpected(t, "@", "timestamp");
            }
            double ts = number(t);
            if (negative) {
                ts = -ts;
            }
            if (Double.isNaN(ts) || Double.isInfinite(ts) || ts >= (double) Long.MAX_VALUE || ts <= (double) Long.MIN_VALUE) {
                throw error(e.start(), "timestamp out of bounds for @ modifier: " + GoStrconv.formatFixed6(ts));
            }
            kind = AtModifier.TIMESTAMP;
            ms = (long) roundHalfAwayFromZero(ts * 1000);
            end = t.end();
        }
        if (e instanceof VectorSelector vs) {
            checkAtUnset(e, vs.at());
            return vs.withAt(kind, ms, end);
        }
        if (e instanceof MatrixSelector m) {
            checkAtUnset(e, m.selector().at());
            return m.withSelector(m.selector().withAt(kind, ms, m.selector().end()), end);
        }
        if (e instanceof SubqueryExpr sq) {
            checkAtUnset(e, sq.at());
            return sq.withAt(kind, ms, end);
        }
        throw error(e.start(),
                "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private void checkAtUnset(Expr e, AtModifier current) {
        if (current != AtModifier.NONE) {
            throw error(e.start(), "@ <timestamp> may not be set multiple times");
        }
    }

    /** Go's math.Round: halves go away from zero. */
    static double roundHalfAwayFromZero(double x) {
        double a = Math.abs(x);
        double t = Math.floor(a);
        if (a - t >= 0.5) {
            t += 1;
        }
        return Math.copySign(t, x);
    }

    // ---- calls and aggregations

    private Expr parseCall(Token name) {
        Function f = Function.lookup(name.val());
        if (f == null) {
            throw error(name.pos(), "unknown function with name " + GoStrconv.quote(name.val()));
        }
        List<Expr> args = new ArrayList<>();
        int end = parseCallBody(args);
        return new Call(f, args, name.pos(), end);
    }

    private int parseCallBody(List<Expr> args) {
        Token l = next();
        if (l.type() != TokenType.LEFT_PAREN) {
            throw unexpected(l, "", "");
        }
        if (peek().type() == TokenType.RIGHT_PAREN) {
            return next().end();
        }
        while (true) {
            args.add(parseExpr(0));
            Token t = next();
            if (t.type() == TokenType.RIGHT_PAREN) {
                return t.end();
            }
            if (t.type() != TokenType.COMMA) {
                throw unexpected(t, "", "");
            }
            if (peek().type() == TokenType.RIGHT_PAREN) {
                throw error(t.pos(), "trailing commas not allowed in function call args");
            }
        }
    }

    private Expr parseAggregate(Token opTok) {
        AggregateOp op = AggregateOp.of(opTok.type());
        List<String> grouping = null;
        boolean without = false;
        if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
            without = next().type() == TokenType.WITHOUT;
            grouping = parseGroupingLabels();
        }
        List<Expr> args = new ArrayList<>();
        int end = parseCallBody(args);
        if (grouping == null && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
            without = next().type() == TokenType.WITHOUT;
            int before = idx;
            grouping = parseGroupingLabels();
            end = tokens.get(Math.max(before, idx - 1)).end();
        }
        if (grouping == null) {
            grouping = List.of();
        }
        if (args.isEmpty()) {
            throw error(opTok.pos(), "no arguments for aggregate expression provided");
        }
        int want = op.hasParam() ? 2 : 1;
        if (args.size() != want) {
            throw error(opTok.pos(), "wrong number of arguments for aggregate expression provided, expected " + want
                    + ", got " + args.size());
        }
        Expr param = op.hasParam() ? args.get(0) : null;
        return new AggregateExpr(op, args.get(want - 1), param, grouping, without, opTok.pos(), end);
    }

    private List<String> parseGroupingLabels() {
        Token l = next();
        if (l.type() != TokenType.LEFT_PAREN) {
            throw unexpected(l, "grouping opts", "\"(\"");
        }
        List<String> labels = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            next();
            return labels;
        }
        while (true) {
            Token t = next();
            if (!maybeLabel(t.type()) || !isValidLabelName(t.val())) {
                throw unexpected(t, "grouping opts", "label");
            }
            labels.add(t.val());
            Token s = next();
            if (s.type() == TokenType.RIGHT_PAREN) {
                return labels;
            }
            if (s.type() != TokenType.COMMA) {
                throw unexpected(s, "grouping opts", "\",\" or \")\"");
            }
            if (peek().type() == TokenType.RIGHT_PAREN) {
                next();
                return labels;
            }
        }
    }

    private static boolean maybeLabel(TokenType t) {
        return t == TokenType.IDENTIFIER || t == TokenType.METRIC_IDENTIFIER || t.isKeyword() || t.isAggregator()
                || t == TokenType.LAND || t == TokenType.LOR || t == TokenType.LUNLESS || t == TokenType.ATAN2;
    }

    // ---- type checks, as Prometheus's checkAST; returns the tree with normalised vector matching

    private ParseException typeError(Expr at, String msg) {
        return error(at.start(), msg);
    }

    private Expr expectType(Expr e, ValueType want, String context) {
        Expr c = check(e);
        if (c.type() != want) {
            throw typeError(c, "expected type " + want.documentedName() + " in " + context + ", got "
                    + c.type().documentedName());
        }
        return c;
    }

    private Expr check(Expr e) {
        if (e instanceof AggregateExpr a) {
            Expr inner = expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
            Expr param = a.param();
            if (a.op() == AggregateOp.TOPK || a.op() == AggregateOp.BOTTOMK || a.op() == AggregateOp.QUANTILE) {
                param = expectType(param, ValueType.SCALAR, "aggregation parameter");
            } else if (a.op() == AggregateOp.COUNT_VALUES) {
                param = expectType(param, ValueType.STRING, "aggregation parameter");
            }
            return a.withArgs(param, inner);
        }
        if (e instanceof BinaryExpr b) {
            return checkBinary(b);
        }
        if (e instanceof Call c) {
            return checkCall(c);
        }
        if (e instanceof ParenExpr p) {
            return new ParenExpr(check(p.expr()), p.start(), p.end());
        }
        if (e instanceof UnaryExpr u) {
            Expr inner = check(u.expr());
            if (inner.type() != ValueType.SCALAR && inner.type() != ValueType.VECTOR) {
                throw typeError(u, "unary expression only allowed on expressions of type scalar or instant vector, got "
                        + GoStrconv.quote(inner.type().documentedName()));
            }
            return new UnaryExpr(u.negate(), inner, u.start());
        }
        if (e instanceof SubqueryExpr s) {
            Expr inner = check(s.expr());
            if (inner.type() != ValueType.VECTOR) {
                throw typeError(s, "subquery is only allowed on instant vector, got " + inner.type().apiName() + " instead");
            }
            return s.withExpr(inner);
        }
        if (e instanceof MatrixSelector m) {
            checkSelector(m.selector());
            return m;
        }
        if (e instanceof VectorSelector v) {
            checkSelector(v);
            return v;
        }
        return e;
    }

    private void checkSelector(VectorSelector v) {
        List<Matcher> ms = v.matchers();
        if (!v.name().isEmpty()) {
            for (int i = 0; i < ms.size() - 1; i++) {
                if (ms.get(i).name().equals(Labels.METRIC_NAME)) {
                    throw typeError(v, "metric name must not be set twice: " + GoStrconv.quote(v.name()) + " or "
                            + GoStrconv.quote(ms.get(i).value()));
                }
            }
            return;
        }
        for (Matcher m : ms) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw typeError(v, "vector selector must contain at least one non-empty matcher");
    }

    private Expr checkCall(Call c) {
        Function f = c.func();
        int nargs = f.argTypes().size();
        int got = c.args().size();
        if (f.variadic() == 0) {
            if (nargs != got) {
                throw typeError(c, "expected " + nargs + " argument(s) in call to " + GoStrconv.quote(f.name())
                        + ", got " + got);
            }
        } else {
            int na = nargs - 1;
            if (na > got) {
                throw typeError(c, "expected at least " + na + " argument(s) in call to " + GoStrconv.quote(f.name())
                        + ", got " + got);
            }
            int max = na + f.variadic();
            if (f.variadic() > 0 && max < got) {
                throw typeError(c, "expected at most " + max + " argument(s) in call to " + GoStrconv.quote(f.name())
                        + ", got " + got);
            }
        }
        List<Expr> args = new ArrayList<>(got);
        for (int i = 0; i < got; i++) {
            int ti = i;
            if (i >= nargs) {
                if (f.variadic() == 0) {
                    args.add(c.args().get(i));
                    continue;
                }
                ti = nargs - 1;
            }
            args.add(expectType(c.args().get(i), f.argTypes().get(ti), "call to function " + GoStrconv.quote(f.name())));
        }
        return c.withArgs(args);
    }

    private Expr checkBinary(BinaryExpr b) {
        Expr lhs = check(b.lhs());
        Expr rhs = check(b.rhs());
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        BinaryOp op = b.op();
        if (b.returnBool() && !op.isComparison()) {
            throw error(b.opPos(), "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(b.opPos(), "comparisons between scalars must use BOOL modifier");
        }
        VectorMatching vm = b.matching();
        if (op.isSetOperator() && vm.card() == VectorMatching.Card.ONE_TO_ONE) {
            vm = new VectorMatching(VectorMatching.Card.MANY_TO_MANY, vm.matchingLabels(), vm.on(), vm.include());
        }
        if (vm.on()) {
            for (String l1 : vm.matchingLabels()) {
                if (vm.include().contains(l1)) {
                    throw error(b.opPos(), "label " + GoStrconv.quote(l1) + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw typeError(lhs, "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw typeError(rhs, "binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!vm.matchingLabels().isEmpty()) {
                throw typeError(lhs, "vector matching only allowed between instant vectors");
            }
            vm = null;
        } else if (op.isSetOperator()) {
            if (vm.card() == VectorMatching.Card.ONE_TO_MANY || vm.card() == VectorMatching.Card.MANY_TO_ONE) {
                throw typeError(lhs, "no grouping allowed for \"" + op.symbol() + "\" operation");
            }
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
            throw typeError(lhs, "set operator \"" + op.symbol() + "\" not allowed in binary scalar expression");
        }
        return new BinaryExpr(op, lhs, rhs, vm, b.returnBool(), b.opPos());
    }
}
