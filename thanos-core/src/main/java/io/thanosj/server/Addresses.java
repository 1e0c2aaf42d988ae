package io.thanosj.server;

import io.thanosj.model.ThanosException;
import java.net.InetSocketAddress;

/** Parses listen addresses the way Go does: {@code host:port}, {@code :port}, {@code [::1]:port}. */
public final class Addresses {
    private Addresses() {}

    public static InetSocketAddress parse(String flag, String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon < 0) {
            throw ThanosException.badData("invalid " + flag + " \"" + value + "\": missing port in address");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ThanosException.badData("invalid " + flag + " \"" + value + "\": invalid port");
        }
        if (port < 0 || port > 65535) {
            throw ThanosException.badData("invalid " + flag + " \"" + value + "\": port out of range");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
