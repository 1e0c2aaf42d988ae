package io.thanosj.store.endpoint;

import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint as configured: {@code host:port}, {@code dns+host:port} (A/AAAA lookup),
 * {@code dnssrv+name} (SRV lookup, then A/AAAA of each target) or {@code dnssrvnoa+name} (SRV
 * targets used as they are), as in Thanos's pkg/discovery/dns.
 */
record EndpointSpec(Kind kind, String host, int port, String raw) {
    enum Kind { STATIC, DNS, DNSSRV, DNSSRVNOA }

    /** Parses a spec; {@code source} (a flag or file) names where it came from in errors. */
    static EndpointSpec parse(String raw, String source) {
        String s = raw.trim();
        if (s.isEmpty()) {
            throw bad(raw, source, "empty address");
        }
        Kind kind = Kind.STATIC;
        int plus = s.indexOf('+');
        if (plus > 0 && !s.substring(0, plus).contains(":")) {
            String prefix = s.substring(0, plus);
            kind = switch (prefix) {
                case "dns" -> Kind.DNS;
                case "dnssrv" -> Kind.DNSSRV;
                case "dnssrvnoa" -> Kind.DNSSRVNOA;
                default -> throw bad(raw, source, "unknown prefix \"" + prefix + "+\" (want dns+, dnssrv+ or dnssrvnoa+)");
            };
            s = s.substring(plus + 1);
        }
        if (kind == Kind.DNSSRV || kind == Kind.DNSSRVNOA) {
            if (s.isEmpty() || s.contains(":")) {
                throw bad(raw, source, "an SRV name takes no port");
            }
            return new EndpointSpec(kind, s, 0, raw);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw bad(raw, source, "missing port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw bad(raw, source, "IPv6 addresses must be in brackets, e.g. [::1]:10901");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw bad(raw, source, "invalid port \"" + s.substring(colon + 1) + "\"");
        }
        if (port < 1 || port > 65535) {
            throw bad(raw, source, "port " + port + " out of range");
        }
        return new EndpointSpec(kind, host, port, raw);
    }

    private static ThanosException bad(String raw, String source, String why) {
        return ThanosException.badData("invalid endpoint \"" + raw + "\" in " + source + ": " + why);
    }

    /** The gRPC addresses this spec stands for now. */
    List<String> resolve(Resolver resolver) throws IOException {
        List<String> out = new ArrayList<>();
        switch (kind) {
            case STATIC -> out.add(address(host, port));
            case DNS -> {
                for (String ip : resolver.lookupHost(host)) {
                    out.add(address(ip, port));
                }
            }
            case DNSSRV -> {
                for (Resolver.Srv srv : resolver.lookupSrv(host)) {
                    for (String ip : resolver.lookupHost(srv.target())) {
                        out.add(address(ip, srv.port()));
                    }
                }
            }
            case DNSSRVNOA -> {
                for (Resolver.Srv srv : resolver.lookupSrv(host)) {
                    out.add(address(srv.target(), srv.port()));
                }
            }
        }
        return out;
    }

    boolean needsDns() {
        return kind != Kind.STATIC;
    }

    static String address(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
