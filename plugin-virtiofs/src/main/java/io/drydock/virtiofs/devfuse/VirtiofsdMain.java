package io.drydock.virtiofs.devfuse;

import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.server.FuseStats;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code scripts/virtiofsd}: exports a host directory through the kernel's FUSE client at a mount point,
 * served by Drydock's FUSE server and passthrough file system, until SIGTERM/SIGINT or an external
 * unmount. Needs root (mount(2)).
 */
@Command(name = "virtiofsd", mixinStandardHelpOptions = true,
        description = "Serve a host directory over FUSE (/dev/fuse) with Drydock's passthrough file system.")
public final class VirtiofsdMain implements Callable<Integer> {
    @Option(names = "--shared-dir", required = true, description = "Directory to export.")
    String sharedDir;

    @Option(names = "--mount", required = true, description = "Mount point (an existing directory).")
    String mountpoint;

    @Option(names = "--readonly", description = "Refuse every change with EROFS.")
    boolean readonly;

    @Option(names = "--cache", defaultValue = "auto", description = "never | auto | always (default: ${DEFAULT-VALUE}).")
    String cache;

    @Option(names = "--xattr", description = "Pass extended attributes through (off by default, as the C virtiofsd).")
    boolean xattr;

    @Option(names = "--no-xattr", description = "Do not pass extended attributes through (the default).")
    boolean noXattr;

    @Option(names = "--security-xattrs", description = "With --xattr, pass security.* and trusted.* too (refused by default).")
    boolean securityXattrs;

    @Option(names = "--allow-device-nodes", description = "MKNOD may create block and character devices (never opened; the mount is nodev).")
    boolean allowDeviceNodes;

    @Option(names = "--max-handles", defaultValue = "65536", description = "Open file handles per session; EMFILE beyond (default: ${DEFAULT-VALUE}).")
    int maxHandles;

    @Option(names = "--threads", defaultValue = "4", description = "Threads reading /dev/fuse (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-open-fds", defaultValue = "0", description = "Open host data descriptors (default: an eighth of RLIMIT_NOFILE, raised at start).")
    int maxOpenFds;

    @Option(names = "--stats", description = "Print per-opcode counts and mean latency on exit.")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        PassthroughOptions options = PassthroughOptions.defaults().withReadonly(readonly)
                .withCache(PassthroughOptions.CacheMode.parse(cache)).withXattr(xattr && !noXattr)
                .withSecurityXattrs(securityXattrs).withAllowDeviceNodes(allowDeviceNodes).withMaxHandles(maxHandles);
        if (maxOpenFds > 0) options = options.withMaxOpenFds(maxOpenFds);
        PassthroughFileSystem passthrough = PassthroughFileSystem.open(sharedDir, options);
        FuseFileSystem fs = readonly ? new ReadOnlyFileSystem(passthrough) : passthrough;
        FuseStats counts = new FuseStats();
        FuseServer server = new FuseServer(fs, FuseServerConfig.defaults(), null, counts);
        DevFuseMount mount = DevFuseMount.mount(mountpoint, sharedDir, true);
        DevFuseTransport transport = new DevFuseTransport(mount, server, threads);
        Thread hook = new Thread(() -> {
            transport.close();
            passthrough.close();
            if (stats) print(counts);
        }, "virtiofsd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        transport.start();
        System.err.println("virtiofsd: serving " + sharedDir + " at " + mountpoint + " (cache=" + options.cache().name().toLowerCase()
                + (readonly ? ", read-only" : "") + ", " + threads + " threads); Ctrl-C or SIGTERM to unmount");
        transport.awaitTermination(); // returns when the mount goes away (umount from outside)
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            transport.close();
            passthrough.close();
            if (stats) print(counts);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and the hook runs (or ran) the same cleanup
        }
        return 0;
    }

    private static void print(FuseStats counts) {
        System.err.printf("%-16s %10s %8s %12s%n", "opcode", "requests", "errors", "mean us");
        for (Map.Entry<FuseOpcode, FuseStats.Totals> e : counts.nonZero().entrySet()) {
            FuseStats.Totals t = e.getValue();
            System.err.printf("%-16s %10d %8d %12.1f%n", e.getKey(), t.requests(), t.errors(), t.nanos() / 1e3 / t.requests());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VirtiofsdMain()).execute(args));
    }
}
