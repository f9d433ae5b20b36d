package io.drydock.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Mount-namespace calls for a sandboxed daemon (the vhost-user virtiofsd): unshare(2), mount(2) for bind,
 * tmpfs and propagation, chdir(2) and pivot_root(2). They act on the calling thread (unshare with
 * CLONE_NEWNS also unshares CLONE_FS for it): threads it creates later inherit the namespace and root.
 * Need CAP_SYS_ADMIN. Constants are Linux's (sched.h, sys/mount.h); pivot_root is the raw call ({@link Syscall}).
 */
public final class Namespaces {
    private Namespaces() {}

    private static final int CLONE_NEWNS = 0x00020000;
    private static final long MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32, MS_BIND = 4096,
            MS_REC = 16384, MS_SLAVE = 1 << 19;
    private static final int MNT_DETACH = 2;

    private static final NativeCall UNSHARE = NativeCall.of("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final NativeCall CHDIR = NativeCall.of("chdir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final ThreadLocal<java.lang.foreign.MemorySegment> STATE =
            ThreadLocal.withInitial(() -> NativeCall.newCallState(Arena.ofAuto()));

    /** unshare(CLONE_NEWNS): the calling thread gets a private copy of the mount table. */
    public static void unshareMountNamespace() throws ErrnoException {
        try {
            if ((int) UNSHARE.handle().invokeExact(STATE.get(), CLONE_NEWNS) < 0)
                throw new ErrnoException("unshare", NativeCall.errno(STATE.get()), "CLONE_NEWNS");
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw new AssertionError(t); }
    }

    /** Makes every mount a slave (MS_REC|MS_SLAVE on /): what we mount from now on never propagates to the host. */
    public static void makeMountsSlave() throws ErrnoException {
        Sys.mount("none", "/", "none", MS_REC | MS_SLAVE, "");
    }

    /** A tmpfs at {@code target} (nodev, nosuid, noexec). */
    public static void mountTmpfs(String target, String options) throws ErrnoException {
        Sys.mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options);
    }

    /** Binds {@code source} at {@code target} (recursively), then remounts it nodev,nosuid when {@code restrict}. */
    public static void bindMount(String source, String target, boolean restrict) throws ErrnoException {
        Sys.mount(source, target, "none", MS_BIND | MS_REC, "");
        if (restrict) Sys.mount("none", target, "none", MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, "");
    }

    /**
     * Makes {@code newRoot} (a mount point) the root: chdir there, pivot_root(".", putOld), detach the old
     * root, chdir("/"). The old tree is gone from this namespace afterwards.
     */
    public static void pivotRoot(String newRoot, String putOld) throws ErrnoException {
        chdir(newRoot);
        try (Arena a = Arena.ofConfined()) {
            long rc = Syscall.call(STATE.get(), Syscall.PIVOT_ROOT, Sys.cstr(a, ".").address(), Sys.cstr(a, putOld).address(), 0, 0, 0, 0);
            if (rc < 0) throw new ErrnoException("pivot_root", NativeCall.errno(STATE.get()), newRoot);
        }
        Sys.umount2("/" + putOld, MNT_DETACH);
        chdir("/");
    }

    public static void chdir(String dir) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            if ((int) CHDIR.handle().invokeExact(STATE.get(), Sys.cstr(a, dir)) < 0)
                throw new ErrnoException("chdir", NativeCall.errno(STATE.get()), dir);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw new AssertionError(t); }
    }
}
