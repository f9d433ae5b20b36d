package io.drydock.virtiofs.passthrough;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's descriptor limit (RLIMIT_NOFILE) and the passthrough's share of it.
 *
 * <p>As the Rust virtiofsd does (the C virtiofsd likewise tries 1,000,000), {@link #raise} lifts the soft
 * and hard limits to min({@code /proc/sys/fs/nr_open}, 1,000,000) when the process may (root: CAP_SYS_RESOURCE),
 * else the soft limit to the hard one. The caches are sized from the result ({@link #inodeFds},
 * {@link #dataFds}) so that a client looking up or opening many files never exhausts the JVM's descriptors:
 * past the inode budget, idle inode descriptors are closed and re-opened by file handle on use.
 */
public final class FdLimits {
    static final long TARGET = 1_000_000;
    /** Descriptors left to the rest of the JVM (jars, sockets, other devices). */
    static final long RESERVE = 1024;
    private static volatile long raisedTo;

    private FdLimits() {}

    /** Raises RLIMIT_NOFILE once per process; returns the soft limit now in force. */
    public static synchronized long raise() {
        if (raisedTo > 0) return raisedTo;
        long[] now = HostCalls.nofile();
        long want = Math.min(nrOpen(), TARGET);
        if (now[0] < want && !HostCalls.setNofile(want, Math.max(want, now[1])) && now[0] < now[1])
            HostCalls.setNofile(now[1], now[1]);
        raisedTo = HostCalls.nofile()[0];
        return raisedTo;
    }

    /** The soft RLIMIT_NOFILE in force. */
    public static long current() { return HostCalls.nofile()[0]; }

    private static long nrOpen() {
        try {
            return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/nr_open")).getFirst().trim());
        } catch (IOException | NumberFormatException e) {
            return 1 << 20;
        }
    }

    /** Inode (O_PATH) descriptors one passthrough keeps open: a quarter of what the limit leaves. */
    static int inodeFds(long limit) { return (int) Math.clamp((limit - RESERVE) / 4, 64, 262_144); }

    /** Data descriptors (open files and directories) one passthrough keeps open: an eighth. */
    static int dataFds(long limit) { return (int) Math.clamp((limit - RESERVE) / 8, 16, 131_072); }
}
