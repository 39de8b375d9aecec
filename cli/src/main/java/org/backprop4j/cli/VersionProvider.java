package org.backprop4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code backprop4j --version}: the build's version (from a resource Maven filters) and the running Java. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "backprop4j " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("java.vm.name") + ", " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch")
        };
    }

    /** The project version, or "unknown" when the resource is missing (an IDE run without Maven). */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }
}
