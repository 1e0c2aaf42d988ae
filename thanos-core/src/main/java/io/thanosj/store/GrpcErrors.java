package io.thanosj.store;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;

/**
 * The one place where failures cross the gRPC boundary: {@link ErrorCode} to {@link Status.Code}
 * on the server, and back on the client, so that an invalid request sent through a chain of
 * proxies still arrives as {@code INVALID_ARGUMENT} with its message.
 */
public final class GrpcErrors {
    private GrpcErrors() {}

    public static Status.Code toCode(ErrorCode code) {
        return switch (code) {
            case BAD_DATA -> Status.Code.INVALID_ARGUMENT;
            case EXECUTION -> Status.Code.ABORTED;
            case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
            case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
            case CANCELED -> Status.Code.CANCELLED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case CORRUPTED -> Status.Code.DATA_LOSS;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    public static ErrorCode fromCode(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> ErrorCode.BAD_DATA;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
            case CANCELLED -> ErrorCode.CANCELED;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case DATA_LOSS -> ErrorCode.CORRUPTED;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ABORTED, UNKNOWN -> ErrorCode.EXECUTION;
            default -> ErrorCode.INTERNAL;
        };
    }

    /** Server side: the status to close a call with. */
    public static Status toStatus(Throwable t) {
        if (t instanceof ThanosException e) {
            return Status.fromCode(toCode(e.code())).withDescription(e.getMessage());
        }
        if (t instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (t instanceof StatusException e) {
            return e.getStatus();
        }
        return Status.INTERNAL.withDescription("internal error: " + t).withCause(t);
    }

    /**
     * Client side: a failed call as a {@link ThanosException} whose message says what was being
     * attempted, e.g. {@code receive series from 10.0.0.1:10901: unavailable: connection refused}.
     */
    public static ThanosException toException(Status status, String attempted) {
        String desc = status.getDescription();
        if (desc == null && status.getCause() != null) {
            desc = status.getCause().toString();
        }
        String code = status.getCode().name().toLowerCase(java.util.Locale.ROOT);
        String msg = attempted + ": " + (desc == null ? code : code + ": " + desc);
        return new ThanosException(fromCode(status.getCode()), msg, status.asRuntimeException());
    }

    public static ThanosException toException(Throwable t, String attempted) {
        if (t instanceof ThanosException e) {
            return new ThanosException(e.code(), attempted + ": " + e.getMessage(), e);
        }
        return toException(Status.fromThrowable(t), attempted);
    }
}
