package io.drydock.virtiofs.vhostuser;

import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.filesystem.IdMap;
import io.drydock.virtiofs.fuse.filesystem.IdMappedFileSystem;
import io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem;
import io.drydock.virtiofs.fuse.server.FuseObserver;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import io.drydock.virtiofs.passthrough.PassthroughOptions;

import java.nio.file.Path;

/** {@code scripts/virtiofsd --socket-path=PATH}: the vhost-user daemon's start-up (sandbox, socket, sessions). */
public final class VhostUserMain {
    private VhostUserMain() {}

    /**
     * Binds the socket, enters the sandbox, and serves frontends until SIGTERM/SIGINT (or, with {@code once},
     * until the first one disconnects). Each connection gets a fresh passthrough file system and FUSE session.
     */
    public static int serve(Path socket, String sharedDir, PassthroughOptions options, IdMap uids, IdMap gids, Sandbox sandbox,
                            boolean once, FuseObserver observer) throws Exception {
        Path dir = Path.of(sharedDir).toAbsolutePath().normalize();
        String[] source = {dir.toString()};
        // The socket is bound before the sandbox hides the host's file system; sessions open the share after.
        VhostUserDaemon daemon = VhostUserDaemon.bind(socket.toAbsolutePath(), () -> {
            PassthroughFileSystem fs = PassthroughFileSystem.open(source[0], options);
            FuseFileSystem served = IdMappedFileSystem.of(options.readonly() ? new ReadOnlyFileSystem(fs) : fs, uids, gids);
            FuseServerConfig config = FuseServerConfig.defaults();
            VhostUserDaxChannel dax = new VhostUserDaxChannel(config.mapAlignment()); // used when the frontend has a window
            return new VhostUserDaemon.Session(new FuseServer(served, config, dax, observer), fs, dax);
        });
        source[0] = sandbox.enter(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "virtiofsd-shutdown"));
        System.err.println("virtiofsd: serving " + dir + " on " + socket + " (vhost-user, cache="
                + options.cache().name().toLowerCase() + (options.readonly() ? ", read-only" : "") + (uids.isIdentity() ? "" : ", uids " + uids) + (gids.isIdentity() ? "" : ", gids " + gids) + ", sandbox=" + sandbox.name().toLowerCase() + ")");
        daemon.run(once);
        daemon.close();
        return 0;
    }
}
