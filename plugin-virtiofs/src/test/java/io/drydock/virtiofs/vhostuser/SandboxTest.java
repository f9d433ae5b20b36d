package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.Sys;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --sandbox namespace} entered on a thread of its own (unshare moves only the calling thread, so the
 * rest of the test JVM keeps the host's tree): the thread sees the share at {@code /share} and nothing else
 * of the host. Needs root (CAP_SYS_ADMIN).
 */
class SandboxTest {
    /** A share below /tmp: the sandbox's new root is a tmpfs mounted over /tmp, which used to hide the share
     * before it was bound (mount(2) ENOENT, so the daemon never listened for shares like /tmp/x/share). */
    @Test
    void aShareBelowTheSandboxRootIsStillServed() throws Exception {
        assumeTrue(Sys.geteuid() == 0, "the mount namespace needs root (CAP_SYS_ADMIN)");
        Path share = Files.createTempDirectory(Path.of("/tmp"), "sandbox-share");
        try {
            Files.writeString(share.resolve("marker.txt"), "inside");
            AtomicReference<Object> seen = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    String at = Sandbox.NAMESPACE.enter(share);
                    seen.set(at + "|" + Files.readString(Path.of(at, "marker.txt")) + "|" + Files.exists(Path.of("/etc/passwd"))
                            + "|" + Files.exists(Path.of(share.toString(), "marker.txt")));
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            t.join();
            if (seen.get() instanceof Throwable e) throw new AssertionError("entering the sandbox failed", e);
            assertEquals("/share|inside|false|false", seen.get(), "share at /share, nothing else of the host");
            assertTrue(Files.exists(Path.of("/etc/passwd")), "the rest of the JVM keeps the host's tree");
            assertFalse(Files.exists(Path.of("/share/marker.txt")));
        } finally {
            Files.deleteIfExists(share.resolve("marker.txt"));
            Files.deleteIfExists(share);
        }
    }
}
