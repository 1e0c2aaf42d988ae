package io.thanosj.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves files from the classpath (a component's UI and WebJars) so the UI needs no front-end
 * build step. Paths with {@code ..} are refused; contents are cached after the first read.
 */
public final class StaticFiles implements HttpHandler {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json", "map", "application/json");

    private final String root;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** {@code root} is a classpath folder such as {@code io/thanosj/query/ui}. */
    public StaticFiles(String root) {
        this.root = root.endsWith("/") ? root : root + "/";
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String rel = ex.remainder();
        if (rel.isEmpty() || rel.contains("..") || rel.startsWith("/")) {
            ex.respondText(404, "404 page not found");
            return;
        }
        byte[] body = cache.get(rel);
        if (body == null) {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + rel)) {
                if (in == null) {
                    ex.respondText(404, "404 page not found");
                    return;
                }
                body = in.readAllBytes();
            }
            cache.put(rel, body);
        }
        String ext = rel.substring(rel.lastIndexOf('.') + 1);
        ex.setHeader("Cache-Control", "public, max-age=3600");
        ex.respond(200, TYPES.getOrDefault(ext, "application/octet-stream"), body);
    }
}
