package io.thanosj.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.prompb.ReadRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xerial.snappy.Snappy;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Client of one Prometheus server's HTTP API, the Java counterpart of Thanos's
 * {@code pkg/promclient}: configuration and flags, the lowest timestamp it holds, label and
 * series metadata, remote read and reload. Every failure is a {@link ThanosException} whose
 * message names the URL; an unreachable Prometheus is {@link ErrorCode#UNAVAILABLE}. Thread-safe.
 */
public final class PromClient {
    static final JsonFactory JSON = new JsonFactory();
    /** Bodies read whole (config, flags, label lists) are capped so a wrong URL cannot fill the heap. */
    private static final int MAX_SMALL_BODY = 64 << 20;

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base    Prometheus's URL, e.g. {@code http://localhost:9090} (a path prefix is kept)
     * @param timeout bound of each call until its response headers arrive
     */
    public PromClient(URI base, Duration timeout) {
        this.base = normalize(Objects.requireNonNull(base, "base"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Parses a {@code --prometheus.url} value. */
    public static URI parseUrl(String flag, String value) {
        URI u;
        try {
            u = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw ThanosException.badData("invalid " + flag + " \"" + value + "\": " + e.getMessage());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw ThanosException.badData("invalid " + flag + " \"" + value + "\": want an http or https URL with a host");
        }
        return u;
    }

    private static URI normalize(URI u) {
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public URI base() {
        return base;
    }

    URI url(String path) {
        return URI.create(base + path);
    }

    /** External labels from the loaded configuration ({@code global.external_labels}). */
    public Labels externalLabels() {
        URI u = url("/api/v1/status/config");
        String yaml = null;
        try (JsonParser p = JSON.createParser(getSmall(u, "get prometheus config"))) {
            if (seekData(p) == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("yaml")) {
                        yaml = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw bad(u, "get prometheus config", e);
        }
        if (yaml == null) {
            throw new ThanosException(ErrorCode.INTERNAL, "get prometheus config " + u + ": response has no data.yaml");
        }
        return parseExternalLabels(yaml, u);
    }

    static Labels parseExternalLabels(String yaml, URI from) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (RuntimeException e) {
            throw new ThanosException(ErrorCode.INTERNAL, "parse prometheus config from " + from + ": " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("global") instanceof Map<?, ?> g)
                || !(g.get("external_labels") instanceof Map<?, ?> ext)) {
            return Labels.EMPTY;
        }
        Map<String, String> out = new LinkedHashMap<>();
        ext.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return Labels.fromMap(out);
    }

    /** Command-line flags Prometheus runs with ({@code /api/v1/status/flags}). */
    public Map<String, String> flags() {
        URI u = url("/api/v1/status/flags");
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(getSmall(u, "get prometheus flags"))) {
            if (seekData(p) == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    out.put(f, p.getValueAsString(""));
                }
            }
        } catch (IOException e) {
            throw bad(u, "get prometheus flags", e);
        }
        return out;
    }

    /** Prometheus's version from {@code /api/v1/status/buildinfo}, e.g. {@code 2.42.0}. */
    public String version() {
        URI u = url("/api/v1/status/buildinfo");
        try (JsonParser p = JSON.createParser(getSmall(u, "get prometheus version"))) {
            if (seekData(p) == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("version")) {
                        return p.getText();
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw bad(u, "get prometheus version", e);
        }
        throw new ThanosException(ErrorCode.INTERNAL, "get prometheus version " + u + ": response has no data.version");
    }

    /**
     * The oldest sample timestamp Prometheus holds (its {@code prometheus_tsdb_lowest_timestamp_seconds}
     * gauge), or {@link Long#MIN_VALUE} when it holds nothing yet, so that it is still queried.
     */
    public long lowestTimestamp() {
        URI u = url("/metrics");
        String metric = "prometheus_tsdb_lowest_timestamp_seconds";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                send(get(u, "text/plain"), "get prometheus metrics"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(metric) && line.length() > metric.length()
                        && (line.charAt(metric.length()) == ' ' || line.charAt(metric.length()) == '{')) {
                    String[] parts = line.substring(line.indexOf(' ', metric.length()) + 1).trim().split(" ");
                    double ms = Double.parseDouble(parts[0]) * 1000;
                    // No block or head data yet: the gauge holds MaxInt64 milliseconds as seconds.
                    return ms >= 9.2e18 ? Long.MIN_VALUE : (long) ms;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw bad(u, "get prometheus lowest timestamp", e);
        }
        throw new ThanosException(ErrorCode.INTERNAL, "get prometheus lowest timestamp " + u
                + ": metric " + metric + " not found; is this a Prometheus server?");
    }

    /** Asks Prometheus to reload its configuration ({@code POST /-/reload}). */
    public void reload() {
        URI u = url("/-/reload");
        HttpRequest req = HttpRequest.newBuilder(u).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> resp = exchange(req, "reload prometheus");
        try (InputStream body = resp.body()) {
            byte[] b = body.readNBytes(4096);
            if (resp.statusCode() != 200) {
                throw new ThanosException(ErrorCode.UNAVAILABLE, "reload prometheus " + u + ": received non-200 response "
                        + resp.statusCode() + " " + oneLine(new String(b, StandardCharsets.UTF_8))
                        + "; have you set the --web.enable-lifecycle Prometheus flag?");
            }
        } catch (IOException e) {
            throw bad(u, "reload prometheus", e);
        }
    }

    /** Label names of series matching all matchers (all series when empty) in [start, end]. */
    public List<String> labelNames(List<Matcher> matchers, long start, long end) {
        return stringList(withRange("/api/v1/labels", matchers, start, end), "get label names from prometheus");
    }

    /** Values of {@code label} over series matching the matchers in [start, end]. */
    public List<String> labelValues(String label, List<Matcher> matchers, long start, long end) {
        String path = "/api/v1/label/" + URLEncoder.encode(label, StandardCharsets.UTF_8).replace("+", "%20") + "/values";
        return stringList(withRange(path, matchers, start, end), "get label values from prometheus");
    }

    /**
     * Opens {@code /api/v1/series} for the matchers in [start, end]; the body is the caller's to
     * stream and close.
     */
    InputStream seriesStream(List<Matcher> matchers, long start, long end) {
        URI u = withRange("/api/v1/series", matchers, start, end);
        return send(get(u, "application/json"), "get series from prometheus");
    }

    /** Sends a remote read request; the streamed response body is the caller's to close. */
    HttpResponse<InputStream> remoteRead(ReadRequest request) {
        URI u = url("/api/v1/read");
        byte[] body;
        try {
            body = Snappy.compress(request.toByteArray());
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.INTERNAL, "compress remote read request: " + e, e);
        }
        HttpRequest req = HttpRequest.newBuilder(u).timeout(timeout)
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .header("User-Agent", "Thanos")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> resp = exchange(req, "remote read from prometheus");
        if (resp.statusCode() / 100 != 2) {
            throw statusError(u, "remote read from prometheus", resp);
        }
        return resp;
    }

    private URI withRange(String path, List<Matcher> matchers, long start, long end) {
        StringBuilder q = new StringBuilder(path).append('?');
        if (!matchers.isEmpty()) {
            q.append("match%5B%5D=").append(URLEncoder.encode(selector(matchers), StandardCharsets.UTF_8)).append('&');
        }
        q.append("start=").append(seconds(start)).append("&end=").append(seconds(end));
        return url(q.toString());
    }

    /** A PromQL series selector, {@code {a="b", c=~"d"}}. */
    static String selector(List<Matcher> matchers) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < matchers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(matchers.get(i));
        }
        return sb.append('}').toString();
    }

    /** Milliseconds as Prometheus's float seconds, clamped to the range its API accepts. */
    static String seconds(long ms) {
        long c = Math.max(io.thanosj.api.ApiParams.MIN_TIME, Math.min(io.thanosj.api.ApiParams.MAX_TIME, ms));
        return java.math.BigDecimal.valueOf(c, 3).toPlainString();
    }

    private List<String> stringList(URI u, String what) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(send(get(u, "application/json"), what))) {
            if (seekData(p) == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    out.add(p.getText());
                }
            }
        } catch (IOException e) {
            throw bad(u, what, e);
        }
        return out;
    }

    /** Positions the parser on the value of the top-level {@code data} field; null when absent. */
    static JsonToken seekData(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("response is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (f.equals("data")) {
                return t;
            }
            p.skipChildren();
        }
        return null;
    }

    private HttpRequest get(URI u, String accept) {
        return HttpRequest.newBuilder(u).timeout(timeout).header("Accept", accept).GET().build();
    }

    private InputStream getSmall(URI u, String what) {
        try (InputStream in = send(get(u, "application/json"), what)) {
            byte[] b = in.readNBytes(MAX_SMALL_BODY + 1);
            if (b.length > MAX_SMALL_BODY) {
                throw new ThanosException(ErrorCode.INTERNAL, what + " " + u + ": response larger than " + MAX_SMALL_BODY + " bytes");
            }
            return new java.io.ByteArrayInputStream(b);
        } catch (IOException e) {
            throw bad(u, what, e);
        }
    }

    /** Sends a request and returns the body of a 2xx response; other statuses are errors. */
    private InputStream send(HttpRequest req, String what) {
        HttpResponse<InputStream> resp = exchange(req, what);
        if (resp.statusCode() / 100 != 2) {
            throw statusError(req.uri(), what, resp);
        }
        return resp.body();
    }

    private HttpResponse<InputStream> exchange(HttpRequest req, String what) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThanosException(ErrorCode.CANCELED, what + " " + req.uri() + ": interrupted", e);
        } catch (IOException e) {
            throw bad(req.uri(), what, e);
        }
    }

    /** A non-2xx response: Prometheus's JSON error when there is one, else the start of the body. */
    private static ThanosException statusError(URI u, String what, HttpResponse<InputStream> resp) {
        String detail;
        try (InputStream in = resp.body()) {
            detail = errorDetail(in.readNBytes(8192));
        } catch (IOException e) {
            detail = "";
        }
        int s = resp.statusCode();
        ErrorCode code = switch (s) {
            case 400 -> ErrorCode.BAD_DATA;
            case 404 -> ErrorCode.NOT_FOUND;
            case 422 -> ErrorCode.EXECUTION;
            case 429, 502, 503, 504 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        return new ThanosException(code, what + " " + u + ": status " + s + (detail.isEmpty() ? "" : ": " + detail));
    }

    private static String errorDetail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("error")) {
                        return oneLine(p.getText());
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // Not JSON: fall back to the text.
        }
        return oneLine(text.trim());
    }

    static ThanosException bad(URI u, String what, Exception e) {
        if (e instanceof ThanosException te) {
            return te;
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException
                || e instanceof java.nio.channels.ClosedChannelException) {
            return new ThanosException(ErrorCode.UNAVAILABLE, what + " " + u + ": connection refused or unreachable ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()) + ")", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ThanosException(ErrorCode.UNAVAILABLE, what + " " + u + ": timed out waiting for a response", e);
        }
        if (e instanceof IOException) {
            return new ThanosException(ErrorCode.UNAVAILABLE, what + " " + u + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + oneLine(e.getMessage())), e);
        }
        return new ThanosException(ErrorCode.INTERNAL, what + " " + u + ": " + e, e);
    }

    static String oneLine(String s) {
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 512 ? t.substring(0, 512) + "..." : t;
    }
}
