package io.thanosj.store.endpoint;

import java.io.IOException;
import java.util.List;

/** DNS lookups behind {@code dns+} and {@code dnssrv+} endpoints; tests substitute their own. */
public interface Resolver {
    /** A and AAAA records of a host as IP literals. */
    List<String> lookupHost(String host) throws IOException;

    /** SRV records of a name. */
    List<Srv> lookupSrv(String name) throws IOException;

    record Srv(String target, int port) {}

    /** The JDK's resolver: {@link java.net.InetAddress} for hosts, JNDI's DNS provider for SRV. */
    static Resolver jdk() {
        return JdkResolver.INSTANCE;
    }
}
