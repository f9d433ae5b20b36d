package io.drydock.virtiofs.devfuse;

import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.IdMap;
import io.drydock.virtiofs.fuse.filesystem.IdMappedFileSystem;
import io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.server.FuseStats;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import io.drydock.virtiofs.passthrough.PassthroughOptions;
import io.drydock.virtiofs.vhostuser.Sandbox;
import io.drydock.virtiofs.vhostuser.VhostUserMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code scripts/virtiofsd}: serves a host directory with Drydock's FUSE server and passthrough file system,
 * either as a vhost-user backend on a Unix socket ({@code --socket-path}: QEMU's {@code vhost-user-fs-pci}
 * or Drydock's {@code virtioFs socket:}), or through the kernel's FUSE client at a mount point
 * ({@code --mount}, needs root). Accepts the C virtiofsd's spellings {@code -o source=DIR},
 * {@code -o cache=none|auto|always}, {@code -o xattr|no_xattr}, {@code -o readdirplus|no_readdirplus},
 * {@code --thread-pool-size=N}.
 */
@Command(name = "virtiofsd", mixinStandardHelpOptions = true,
        description = "Serve a host directory as a vhost-user virtio-fs backend or over /dev/fuse with Drydock's passthrough file system.")
public final class VirtiofsdMain implements Callable<Integer> {
    @Option(names = "--shared-dir", description = "Directory to export (or -o source=DIR).")
    String sharedDir;

    @Option(names = "--socket-path", description = "vhost-user: listen on this Unix socket.")
    String socketPath;

    @Option(names = "--mount", description = "/dev/fuse: mount point (an existing directory).")
    String mountpoint;

    @Option(names = "-o", split = ",", description = "C virtiofsd options: source=DIR, cache=none|auto|always, xattr, no_xattr, readonly, readdirplus, no_readdirplus (default: readdirplus unless cache=none); others are ignored with a warning.")
    List<String> legacy = new ArrayList<>();

    @Option(names = "--thread-pool-size", defaultValue = "0", description = "Accepted for compatibility: requests are served by one worker per queue.")
    int threadPoolSize;

    @Option(names = "--sandbox", defaultValue = "${env:DRYDOCK_VIRTIOFSD_SANDBOX:-none}",
            description = "none | namespace: a mount namespace holding only the shared directory (default: the environment variable DRYDOCK_VIRTIOFSD_SANDBOX, else none).")
    String sandbox;

    @Option(names = "--once", description = "vhost-user: exit when the first frontend disconnects (as the C virtiofsd does).")
    boolean once;

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

    @Option(names = "--translate-uid", description = "Translate user IDs between guest and host (repeatable): map:GUEST:HOST:COUNT, guest:GUEST:HOST:COUNT, host:HOST:GUEST:COUNT, squash-guest:GUEST:HOST:COUNT, squash-host:HOST:GUEST:COUNT, forbid-guest:GUEST:COUNT; IDs no rule covers pass unchanged.")
    List<String> translateUid = new ArrayList<>();

    @Option(names = "--translate-gid", description = "The same for group IDs.")
    List<String> translateGid = new ArrayList<>();

    @Option(names = "--stats", description = "Print per-opcode counts and mean latency on exit.")
    boolean stats;

    /** -o readdirplus / no_readdirplus; null: the cache mode decides (PassthroughOptions.offersReaddirplus). */
    Boolean readdirplus;

    @Override
    public Integer call() throws Exception {
        for (String o : legacy) {
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o, value = o.substring(key.length()).replaceFirst("^=", "");
            switch (key) {
                case "source" -> sharedDir = value;
                case "cache" -> cache = value;
                case "xattr" -> xattr = true;
                case "no_xattr" -> noXattr = true;
                case "readonly" -> readonly = true;
                case "readdirplus" -> readdirplus = true;
                case "no_readdirplus" -> readdirplus = false;
                default -> System.err.println("virtiofsd: ignoring -o " + o);
            }
        }
        if (sharedDir == null) throw new CommandLine.ParameterException(new CommandLine(this), "--shared-dir DIR or -o source=DIR is required");
        if ((socketPath == null) == (mountpoint == null))
            throw new CommandLine.ParameterException(new CommandLine(this), "give exactly one of --socket-path and --mount");
        IdMap uids, gids;
        try {
            uids = IdMap.parse(translateUid);
            gids = IdMap.parse(translateGid);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (socketPath != null) {
            FuseStats counts = new FuseStats();
            int rc = VhostUserMain.serve(Path.of(socketPath), sharedDir, options(), uids, gids, Sandbox.parse(sandbox), once, counts);
            if (stats) print(counts);
            return rc;
        }
        PassthroughOptions options = options();
        PassthroughFileSystem passthrough = PassthroughFileSystem.open(sharedDir, options);
        FuseFileSystem fs = IdMappedFileSystem.of(readonly ? new ReadOnlyFileSystem(passthrough) : passthrough, uids, gids);
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

    /** The passthrough options the command line asked for. */
    PassthroughOptions options() {
        PassthroughOptions options = PassthroughOptions.defaults().withReadonly(readonly)
                .withCache(PassthroughOptions.CacheMode.parse(cache)).withXattr(xattr && !noXattr)
                .withSecurityXattrs(securityXattrs).withAllowDeviceNodes(allowDeviceNodes).withMaxHandles(maxHandles)
                .withReaddirplus(readdirplus);
        return maxOpenFds > 0 ? options.withMaxOpenFds(maxOpenFds) : options;
    }

    static void print(FuseStats counts) {
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
