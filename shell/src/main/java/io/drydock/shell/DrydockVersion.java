package io.drydock.shell;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Drydock's version, from the build: the jar manifest's Implementation-Version, else drydock-version.properties (both Maven's project.version). */
public final class DrydockVersion {
    private DrydockVersion() {}

    private static final String NUMBER = load();

    /** The version as built, e.g. {@code 0.1.0-SNAPSHOT}; 0.0.0 when not built by Maven. */
    public static String number() { return NUMBER; }

    private static String load() {
        // drydock-run.jar's manifest says it (scripts/run): from the AOT cache's definition of this package, without
        // opening the jar, which only this resource would open before the plugins' indexes (3-6 ms of a cold start)
        String manifest = DrydockVersion.class.getPackage().getImplementationVersion();
        if (manifest != null) return manifest;
        Properties p = new Properties();
        try (InputStream in = DrydockVersion.class.getResourceAsStream("/drydock-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // fall back below
        }
        String v = p.getProperty("version", "0.0.0");
        return v.startsWith("${") ? "0.0.0" : v;
    }
}
