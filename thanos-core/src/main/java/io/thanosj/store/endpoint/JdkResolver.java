package io.thanosj.store.endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** Resolves with the JDK: the system resolver for hosts, JNDI's DNS provider for SRV records. */
final class JdkResolver implements Resolver {
    static final JdkResolver INSTANCE = new JdkResolver();

    private JdkResolver() {}

    @Override
    public List<String> lookupHost(String host) throws IOException {
        List<String> out = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(host)) {
            out.add(a.getHostAddress());
        }
        return out;
    }

    @Override
    public List<Srv> lookupSrv(String name) throws IOException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attribute srv = ctx.getAttributes(name, new String[] {"SRV"}).get("SRV");
            List<Srv> out = new ArrayList<>();
            if (srv == null) {
                return out;
            }
            NamingEnumeration<?> values = srv.getAll();
            while (values.hasMore()) {
                // "priority weight port target."
                String[] f = values.next().toString().trim().split("\\s+");
                if (f.length != 4) {
                    throw new IOException("lookup SRV " + name + ": malformed record \"" + String.join(" ", f) + "\"");
                }
                String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
                out.add(new Srv(target, Integer.parseInt(f[2])));
            }
            return out;
        } catch (NamingException | NumberFormatException e) {
            throw new IOException("lookup SRV " + name + ": " + e.getMessage(), e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException ignored) {
                    // Nothing left to release.
                }
            }
        }
    }
}
