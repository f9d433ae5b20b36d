package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.NativeCall;
import io.drydock.kernel.sys.Syscall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Per-request credentials and the capabilities of serving threads, as the C virtiofsd does them
 * (lo_change_cred, setup_capabilities), for one OS thread at a time: Linux keeps fsuid, fsgid,
 * supplementary groups and capabilities per thread (the raw system calls; glibc's setgroups would
 * broadcast to every thread), so requests must be served on platform threads.
 *
 * <ul>
 *   <li>{@link #switchTo}: fsuid/fsgid become the caller's for the request, so the host kernel checks
 *       permissions, sets the owner of what is created and kills set-user/group-ID bits on write exactly as it
 *       would for that user (with a non-zero fsuid the kernel also clears CAP_CHOWN, CAP_DAC_OVERRIDE,
 *       CAP_FOWNER, CAP_FSETID and CAP_MKNOD from the effective set). Supplementary groups are dropped on
 *       every serving thread ({@link #prepareThread}): FUSE does not send the caller's (without
 *       FUSE_CREATE_SUPP_GROUP), so the host never grants access through root's groups; the client
 *       (default_permissions, the guest kernel) has checked group access with the caller's own groups.</li>
 *   <li>{@link #dropCapabilities}: a serving thread keeps only what serving needs — CHOWN, DAC_OVERRIDE,
 *       DAC_READ_SEARCH (open_by_handle_at), FOWNER, FSETID, SETGID, SETUID, MKNOD, SETFCAP — the C
 *       virtiofsd's list plus DAC_READ_SEARCH as the Rust one has with file handles; everything else
 *       (SYS_ADMIN, SYS_MODULE, NET_*, SYS_PTRACE, ...) is gone from its effective, permitted and
 *       inheritable sets for good.</li>
 * </ul>
 * When the process is not root nothing is switched (the kernel checks as the daemon's own user anyway).
 */
public final class Credentials {
    private Credentials() {}

    /** linux/capability.h: _LINUX_CAPABILITY_VERSION_3 (two 32-bit words). */
    private static final int CAP_V3 = 0x20080522;
    public static final int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3,
            CAP_FSETID = 4, CAP_SETGID = 6, CAP_SETUID = 7, CAP_SYS_ADMIN = 21, CAP_MKNOD = 27, CAP_SETFCAP = 31;
    /** What a serving thread keeps. */
    public static final long SERVING_CAPS = bit(CAP_CHOWN) | bit(CAP_DAC_OVERRIDE) | bit(CAP_DAC_READ_SEARCH)
            | bit(CAP_FOWNER) | bit(CAP_FSETID) | bit(CAP_SETGID) | bit(CAP_SETUID) | bit(CAP_MKNOD) | bit(CAP_SETFCAP);

    // The kernel's one shared shape (NativeCall.ofLongs), linked once for all of its calls:
    // a cold unikernel run linked capget's, capset's, setfsuid's and geteuid's shapes one by one. Every
    // result here is a C int: narrowed with (int).
    private static final NativeCall SETFSUID = NativeCall.ofLongs("setfsuid");
    private static final NativeCall SETFSGID = NativeCall.ofLongs("setfsgid");
    private static final NativeCall CAPGET = NativeCall.ofLongs("capget");
    private static final NativeCall CAPSET = NativeCall.ofLongs("capset");
    private static final NativeCall GETEUID = NativeCall.ofLongs("geteuid");

    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> NativeCall.newCallState(Arena.ofAuto()));
    private static final ThreadLocal<boolean[]> PREPARED = ThreadLocal.withInitial(() -> new boolean[1]);
    private static final boolean ROOT = geteuid() == 0;

    static long bit(int cap) { return 1L << cap; }

    private static int geteuid() {
        return (int) GETEUID.call(NativeCall.newCallState(Arena.ofAuto()), 0, 0, 0, 0, 0, 0);
    }

    /** Whether requests are served with the caller's credentials (the process runs as root). */
    public static boolean switching() { return ROOT; }

    /** An active switch; {@link #close} goes back to the server's own fsuid/fsgid (0). */
    public interface Scope extends AutoCloseable {
        Scope NONE = () -> {};

        @Override void close();
    }

    /**
     * Serves the rest of the request on this thread as {@code uid}/{@code gid} (fsuid/fsgid). Nested switches
     * are not supported: a scope must be closed before the next request.
     */
    public static Scope switchTo(int uid, int gid) {
        if (!ROOT || (uid == 0 && gid == 0)) return Scope.NONE;
        prepareThread();
        setfsgid(gid);
        setfsuid(uid);
        return Credentials::restore;
    }

    /** Back to root for a step the server does on its own behalf (re-opening a dropped descriptor). */
    public static Scope asServer() {
        if (!ROOT) return Scope.NONE;
        int uid = setfsuid(-1), gid = setfsgid(-1); // -1: query (fails, returns the current value)
        if (uid == 0 && gid == 0) return Scope.NONE;
        restore();
        return () -> {
            setfsgid(gid);
            setfsuid(uid);
        };
    }

    private static void restore() {
        setfsuid(0);
        setfsgid(0);
    }

    /** The fsuid of this thread now. */
    public static int fsuid() { return setfsuid(-1); }

    /** Once per serving thread: no supplementary groups (raw setgroups(0, NULL): this thread only). */
    public static void prepareThread() {
        boolean[] done = PREPARED.get();
        if (done[0] || !ROOT) return;
        // The raw call (Syscall.SETGROUPS): glibc's setgroups wrapper would change every thread.
        long r = Syscall.call(STATE.get(), Syscall.SETGROUPS, 0, 0, 0, 0, 0, 0);
        if (r < 0) throw new IllegalStateException("setgroups(0): errno " + NativeCall.errno(STATE.get()));
        done[0] = true;
    }

    /**
     * Drops every capability but {@code keep} from this thread's effective, permitted and inheritable sets
     * (capset(2) acts on the calling thread only; threads it starts later inherit the result). Returns
     * false when the thread has no capabilities to drop (not root) or the kernel refused.
     */
    public static boolean dropCapabilities(long keep) {
        if (!ROOT) return false;
        prepareThread();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment header = a.allocate(8, 4);
            header.set(JAVA_INT, 0, CAP_V3);
            header.set(JAVA_INT, 4, 0);
            MemorySegment data = a.allocate(24, 4);
            if ((int) CAPGET.call(STATE.get(), header.address(), data.address(), 0, 0, 0, 0) < 0) return false;
            for (int word = 0; word < 2; word++) {
                int k = (int) (keep >>> (32 * word));
                for (int field = 0; field < 3; field++) {
                    long at = word * 12L + field * 4L;
                    data.set(JAVA_INT, at, data.get(JAVA_INT, at) & k);
                }
            }
            header.set(JAVA_INT, 0, CAP_V3);
            return (int) CAPSET.call(STATE.get(), header.address(), data.address(), 0, 0, 0, 0) == 0;
        }
    }

    /** This thread's effective capabilities (capget). */
    public static long effectiveCapabilities() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment header = a.allocate(8, 4);
            header.set(JAVA_INT, 0, CAP_V3);
            MemorySegment data = a.allocate(24, 4);
            if ((int) CAPGET.call(STATE.get(), header.address(), data.address(), 0, 0, 0, 0) < 0) return 0;
            return (data.get(JAVA_INT, 0) & 0xffffffffL) | ((data.get(JAVA_INT, 12) & 0xffffffffL) << 32);
        }
    }

    private static int setfsuid(int uid) {
        return (int) SETFSUID.call(STATE.get(), uid, 0, 0, 0, 0, 0);
    }

    private static int setfsgid(int gid) {
        return (int) SETFSGID.call(STATE.get(), gid, 0, 0, 0, 0, 0);
    }
}
