package io.thanosj.promql.engine;

/** A string expression's value; strings do not vary with the step. */
record StringValue(String value) implements Value {}
