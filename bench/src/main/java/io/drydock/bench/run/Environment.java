package io.drydock.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where a bench ran, written into its JSON so results explain themselves.
 *
 * @param gitCommit the commit of the working directory's repository, or null when there is none
 */
public record Environment(Instant date, String host, int cores, long maxHeapBytes, String javaVersion,
                          String javaVm, String os, String gitCommit) {

    /** This JVM and host, now. Never throws: unknown parts become "unknown" or null. */
    public static Environment current() {
        Runtime rt = Runtime.getRuntime();
        return new Environment(Instant.now(), hostName(), rt.availableProcessors(), rt.maxMemory(),
                System.getProperty("java.version"), System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                gitCommit(Path.of("").toAbsolutePath()));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    /** The HEAD commit of the repository containing {@code dir}, asking git; null when unavailable. */
    static String gitCommit(Path dir) {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null; // no git on this host
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

}
