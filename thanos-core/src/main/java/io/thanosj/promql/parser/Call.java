package io.thanosj.promql.parser;

import java.util.List;
import java.util.stream.Collectors;

/** A function call. */
public final class Call implements Expr {
    private final Function func;
    private final List<Expr> args;
    private final int start;
    private final int end;

    public Call(Function func, List<Expr> args, int start, int end) {
        this.func = func;
        this.args = List.copyOf(args);
        this.start = start;
        this.end = end;
    }

    public Function func() {
        return func;
    }

    public List<Expr> args() {
        return args;
    }

    public Call withArgs(List<Expr> newArgs) {
        return new Call(func, newArgs, start, end);
    }

    @Override
    public ValueType type() {
        return func.returnType();
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int end() {
        return end;
    }

    @Override
    public List<Expr> children() {
        return args;
    }

    @Override
    public String toString() {
        return func.name() + "(" + args.stream().map(Expr::toString).collect(Collectors.joining(", ")) + ")";
    }
}
