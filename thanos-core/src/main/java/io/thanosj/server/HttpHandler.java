package io.thanosj.server;

/** Serves one HTTP route. Runs on a worker thread, so it may block. */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpExchange exchange) throws Exception;
}
