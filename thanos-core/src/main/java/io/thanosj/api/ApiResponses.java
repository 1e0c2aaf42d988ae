package io.thanosj.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.server.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The Prometheus API envelope: {@code {"status":"success","data":...,"warnings":[...]}} or
 * {@code {"status":"error","errorType":...,"error":...}} with Prometheus's HTTP status per error
 * type. Success bodies are streamed through a {@link JsonGenerator}, never built as a tree.
 */
public final class ApiResponses {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String CONTENT_TYPE = "application/json";

    private ApiResponses() {}

    /** Writes the {@code data} value of a successful response. */
    @FunctionalInterface
    public interface DataWriter {
        void write(JsonGenerator g) throws IOException;
    }

    public static void success(HttpExchange ex, List<String> warnings, DataWriter data) throws IOException {
        try (OutputStream out = ex.stream(200, CONTENT_TYPE);
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeFieldName("data");
            data.write(g);
            if (warnings != null && !warnings.isEmpty()) {
                g.writeArrayFieldStart("warnings");
                for (String w : warnings) {
                    g.writeString(w);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    public static void error(HttpExchange ex, ThanosException e) throws IOException {
        error(ex, e.code(), e.getMessage());
    }

    public static void error(HttpExchange ex, ErrorCode code, String message) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("status", "error");
            g.writeStringField("errorType", code.apiErrorType());
            g.writeStringField("error", message);
            g.writeEndObject();
        }
        ex.respond(code.httpStatus(), CONTENT_TYPE, buf.toByteArray());
    }

    /** Wraps a handler so that any {@link ThanosException} becomes the Prometheus error envelope. */
    public static io.thanosj.server.HttpHandler handler(io.thanosj.server.HttpHandler h) {
        return ex -> {
            try {
                h.handle(ex);
            } catch (ThanosException e) {
                if (!ex.responded()) {
                    error(ex, e);
                } else {
                    throw e;
                }
            } catch (IllegalArgumentException e) {
                if (!ex.responded()) {
                    error(ex, ErrorCode.BAD_DATA, e.getMessage());
                } else {
                    throw e;
                }
            }
        };
    }
}
