package org.captioner.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Every error the service answers is {@code {"error": {"code": ..., "message": ...}}}: those of the routes, and
 * those Jetty answers itself before a route runs (a malformed request line, headers too large, a bad chunk).
 * Also tells the failures of reading a request body that are the client's doing apart from the service's own.
 */
final class JsonErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String body(ApiError error) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("error").put("code", error.code()).put("message", error.getMessage());
        return answer.toString();
    }

    /**
     * The client's fault in {@code failure} of reading its request, if it is one: a malformed or too slow body
     * (Jetty's 400/408/413), a body that stalled past the idle timeout, or one cut off before its end.
     */
    static Optional<ApiError> clientFault(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadMessageException bad) {
                return Optional.of(fromStatus(bad.getCode(), bad.getReason()));
            }
            if (cause instanceof TimeoutException) {
                return Optional.of(new ApiError(408, "request_timeout", "the request body stalled: no bytes arrived in time"));
            }
            if (cause instanceof EOFException) {
                return Optional.of(new ApiError(400, "incomplete_body", "the request body ended before its announced end"));
            }
        }
        return Optional.empty();
    }

    private static ApiError fromStatus(int status, String reason) {
        String code = switch (status) {
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
        if (status >= 500) {
            return new ApiError(status, code, "the service failed to answer; the error is in its log");
        }
        String message = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        return new ApiError(status, code, message.toLowerCase(Locale.ROOT).startsWith("request content data rate")
                ? "the request body arrived too slowly (" + message + ")" : message);
    }

    /** Answers Jetty's own refusals, before any route runs, as JSON. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(fromStatus(status, reason)).getBytes(StandardCharsets.UTF_8));
    }

    /** Errors Jetty answers after dispatch (e.g. an exception escaping the servlet), as JSON. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getWriter().write(body(fromStatus(code, message)));
    }
}
