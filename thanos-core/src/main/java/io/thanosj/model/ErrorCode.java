package io.thanosj.model;

/**
 * What kind of failure an error is, so that each boundary can map it once: to a Prometheus API
 * {@code errorType} and HTTP status, to a gRPC status, or to the CLI's exit code.
 */
public enum ErrorCode {
    /** The user's input is wrong: bad flag, config field, query, parameter. */
    BAD_DATA("bad_data", 400, 2),
    /** A query failed while running (duplicate series, many-to-many matching, storage error). */
    EXECUTION("execution", 422, 1),
    /** A limit was hit (series, samples, bytes, concurrency). */
    RESOURCE_EXHAUSTED("execution", 422, 1),
    TIMEOUT("timeout", 503, 1),
    CANCELED("canceled", 499, 1),
    /** A dependency is unreachable or refused us (object storage, Prometheus, a store endpoint). */
    UNAVAILABLE("unavailable", 503, 1),
    /** Data on disk or in the bucket is corrupted. */
    CORRUPTED("internal", 500, 1),
    NOT_FOUND("not_found", 404, 1),
    INTERNAL("internal", 500, 1);

    private final String apiErrorType;
    private final int httpStatus;
    private final int exitCode;

    ErrorCode(String apiErrorType, int httpStatus, int exitCode) {
        this.apiErrorType = apiErrorType;
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    public String apiErrorType() {
        return apiErrorType;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }
}
