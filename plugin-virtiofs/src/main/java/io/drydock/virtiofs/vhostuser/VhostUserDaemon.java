package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.virtiofs.fuse.server.FuseServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Listens on a Unix socket and serves one vhost-user frontend at a time, each connection with a fresh FUSE
 * session from {@link Sessions}; when a frontend goes away (or is cut off for a bad message) the daemon
 * waits for the next one — QEMU reconnecting (`-chardev socket,reconnect=N`) or a new QEMU.
 */
public final class VhostUserDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VhostUserDaemon.class);

    /**
     * One connection's FUSE session: the server, what to close after it, and the DAX window the server maps
     * through ({@link VhostUserDaxChannel}; null for none).
     */
    public record Session(FuseServer server, AutoCloseable resources, VhostUserDaxChannel dax) {
        public Session(FuseServer server, AutoCloseable resources) { this(server, resources, null); }
    }

    @FunctionalInterface
    public interface Sessions {
        Session open() throws IOException;
    }

    private final Path path;
    private final UnixSocket listener;
    private final Sessions sessions;
    private volatile boolean closed;
    private volatile UnixSocket current;

    private VhostUserDaemon(Path path, UnixSocket listener, Sessions sessions) {
        this.path = path;
        this.listener = listener;
        this.sessions = sessions;
    }

    /** Binds {@code path} (replacing a stale socket there, never another kind of file). */
    public static VhostUserDaemon bind(Path path, Sessions sessions) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) throw new IOException(path + " exists and is not a socket");
            Files.delete(path);
        }
        return new VhostUserDaemon(path, UnixSocket.listen(path.toString()), sessions);
    }

    public Path path() { return path; }

    /** Serves frontends one after another until {@link #close}; {@code once}: return after the first. */
    public void run(boolean once) throws IOException {
        while (!closed) {
            UnixSocket conn;
            try {
                conn = listener.accept();
            } catch (ErrnoException e) {
                if (closed) return;
                throw e;
            }
            log.info("vhost-user: frontend connected on {}", path);
            current = conn;
            if (closed) conn.shutdown();
            Session s = sessions.open();
            try {
                new VhostUserBackend(s.server(), s.dax(), new MetricsRegistry()).serve(conn); // fresh counters per guest
            } finally {
                current = null;
                try {
                    s.resources().close();
                } catch (Exception e) {
                    log.warn("vhost-user: closing the session: {}", e.toString());
                }
            }
            if (once) return;
        }
    }

    /** Stops accepting and ends the connection being served (its rings stop, its memory is unmapped). */
    @Override public void close() {
        closed = true;
        UnixSocket c = current;
        if (c != null) c.shutdown();
        listener.shutdown();
        listener.close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("vhost-user: cannot remove {}: {}", path, e.toString());
        }
    }
}
