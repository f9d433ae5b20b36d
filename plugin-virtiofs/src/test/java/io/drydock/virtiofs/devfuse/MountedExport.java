package io.drydock.virtiofs.devfuse;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.server.FuseStats;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A passthrough of {@code share} mounted at {@code mnt} through /dev/fuse, served in this JVM. */
final class MountedExport implements AutoCloseable {
    final PassthroughFileSystem fs;
    final FuseStats stats;
    final DevFuseTransport transport;

    private MountedExport(PassthroughFileSystem fs, FuseStats stats, DevFuseTransport transport) {
        this.fs = fs;
        this.stats = stats;
        this.transport = transport;
    }

    /** Mounts, or aborts the test (skipped, with the reason) where /dev/fuse cannot be mounted. */
    static MountedExport mountOrSkip(Path share, Path mnt, PassthroughOptions options) throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse on this machine: /dev/fuse mount tests skipped");
        Assumptions.assumeTrue(Sys.geteuid() == 0, "not root: mount(2) of a FUSE file system needs CAP_SYS_ADMIN; tests skipped");
        PassthroughFileSystem fs = PassthroughFileSystem.open(share.toString(), options);
        FuseStats stats = new FuseStats();
        DevFuseMount mount;
        try {
            mount = DevFuseMount.mount(mnt.toString(), share.toString(), true);
        } catch (ErrnoException e) {
            fs.close();
            Assumptions.abort("cannot mount /dev/fuse here (" + e.getMessage() + "): /dev/fuse mount tests skipped");
            throw new AssertionError(e);
        }
        DevFuseTransport t = new DevFuseTransport(mount, new FuseServer(fs, FuseServerConfig.defaults(), null, stats), 4);
        t.start();
        return new MountedExport(fs, stats, t);
    }

    @Override public void close() {
        transport.close();
        fs.close();
    }
}
