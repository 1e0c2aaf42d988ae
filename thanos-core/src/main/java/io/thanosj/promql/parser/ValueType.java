package io.thanosj.promql.parser;

/** The four PromQL value types. */
public enum ValueType {
    SCALAR("scalar", "scalar"),
    VECTOR("vector", "instant vector"),
    MATRIX("matrix", "range vector"),
    STRING("string", "string");

    private final String apiName;
    private final String documentedName;

    ValueType(String apiName, String documentedName) {
        this.apiName = apiName;
        this.documentedName = documentedName;
    }

    /** The name the HTTP API uses as {@code resultType}: scalar, vector, matrix, string. */
    public String apiName() {
        return apiName;
    }

    /** The name the documentation and error messages use: scalar, instant vector, range vector, string. */
    public String documentedName() {
        return documentedName;
    }
}
