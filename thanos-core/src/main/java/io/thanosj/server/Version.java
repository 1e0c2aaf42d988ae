package io.thanosj.server;

import java.io.InputStream;
import java.util.Properties;

/** Build version, filled in by Maven resource filtering. */
public final class Version {
    public static final String VERSION;
    public static final String REVISION;

    static {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/thanosj/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (Exception ignored) {
            // Fall through to "unknown": a missing version must not stop a component.
        }
        VERSION = p.getProperty("version", "unknown");
        REVISION = p.getProperty("revision", "unknown");
    }

    private Version() {}
}
