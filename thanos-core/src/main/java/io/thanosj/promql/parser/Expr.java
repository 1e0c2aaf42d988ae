package io.thanosj.promql.parser;

import java.util.List;

/**
 * A node of a parsed PromQL expression. Nodes are immutable once {@link PromQLParser#parse} returns;
 * {@link #toString()} prints the expression the way Prometheus's printer does, so that printing and
 * parsing again yields an equal tree.
 */
public sealed interface Expr
        permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, ParenExpr, UnaryExpr,
                BinaryExpr, AggregateExpr, Call {

    ValueType type();

    /** Offset (in chars) of the node's first character in the query. */
    int start();

    /** Offset (in chars) just after the node's last character in the query. */
    int end();

    /** Direct sub-expressions, in source order. */
    List<Expr> children();
}
