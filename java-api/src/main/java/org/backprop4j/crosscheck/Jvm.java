package org.backprop4j.crosscheck;

/**
 * The Java runtime a cross-check ran on.
 *
 * @param version   {@code java.version}, e.g. {@code 17.0.15}
 * @param vendor    {@code java.vendor}
 * @param vmName    {@code java.vm.name}
 * @param vmVersion {@code java.vm.version}
 */
public record Jvm(String version, String vendor, String vmName, String vmVersion) {

    /** This JVM. */
    public static Jvm current() {
        return new Jvm(System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"));
    }
}
