package org.captioner.serve;

/**
 * A request the service refuses, answered as {@code {"error": {"code": ..., "message": ...}}} with its HTTP status.
 * Messages are written for the client: they never carry stack traces or server paths.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** A stable machine-readable code, e.g. {@code not_an_image}. */
    public String code() {
        return code;
    }
}
