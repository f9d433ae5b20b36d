package io.drydock.linux;

import io.drydock.kernel.machine.MachineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Linux guest's build: runs {@code plugins/linux-guest/build.sh} of this Drydock installation (the
 * {@code drydock.home} system property the scripts set, else the working directory), which rebuilds the
 * kernel Image and the initramfs only when an input changed (cached under {@code build/linux-guest/}), and
 * returns where they are. Called on the DSL's thread when a machine is configured; a first build takes
 * minutes (the script's progress goes to standard error).
 */
final class LinuxBuild {
    private LinuxBuild() {}

    record Artifacts(Path image, Path initramfs) {}

    static Path home() {
        String h = System.getProperty("drydock.home");
        return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
    }

    static Artifacts ensure() {
        Path script = home().resolve("plugins/linux-guest/build.sh");
        if (!Files.isExecutable(script)) {
            throw new MachineException("linux: " + script + " not found: give image: and initrd:, or run from a Drydock checkout");
        }
        try {
            Process p = new ProcessBuilder(List.of(script.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            if (rc != 0) throw new MachineException("linux: " + script + " failed with exit code " + rc);
            Path dir = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
            Artifacts a = new Artifacts(dir.resolve("Image"), dir.resolve("initramfs.cpio"));
            if (!Files.isRegularFile(a.image()) || !Files.isRegularFile(a.initramfs())) {
                throw new MachineException("linux: " + script + " did not leave Image and initramfs.cpio in " + dir);
            }
            return a;
        } catch (IOException e) {
            throw new MachineException("linux: cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MachineException("linux: interrupted while building the guest", e);
        }
    }
}
