package io.thanosj.model;

/**
 * The one exception type that crosses module boundaries. Its message is written for the user:
 * lower case, what was being attempted, and the field, file, offset or endpoint involved
 * (Thanos's error style), so the CLI prints it as one line without a stack trace.
 */
public class ThanosException extends RuntimeException {
    private final ErrorCode code;

    public ThanosException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ThanosException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ThanosException badData(String message) {
        return new ThanosException(ErrorCode.BAD_DATA, message);
    }

    public static ThanosException corrupted(String message) {
        return new ThanosException(ErrorCode.CORRUPTED, message);
    }
}
