package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Namespaces;
import io.drydock.kernel.sys.Sys;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@code --sandbox}: how the separate virtiofsd process confines itself before it serves a frontend.
 *
 * <p>{@link #NAMESPACE}, as the C virtiofsd's {@code --sandbox=namespace}: a private mount namespace whose
 * root is a small tmpfs holding only the shared directory (bind-mounted {@code nodev,nosuid} at
 * {@code /share}) and this process's {@code /proc/self/fd} (the passthrough re-opens inodes through it),
 * entered with {@code unshare(CLONE_NEWNS)} and {@code pivot_root} through {@code java.lang.foreign}; the
 * host's tree is detached. What differs from the C virtiofsd, and why:
 * <ul>
 *   <li>A JVM is multi-threaded before {@code main} and cannot fork, so {@code unshare} moves only the calling
 *       thread; every thread that serves the frontend (connection, ring workers) is created by it afterwards
 *       and inherits the namespace and root. The JVM's own threads (GC, compiler) stay outside; they never
 *       touch guest requests.</li>
 *   <li>No PID or network namespace (they need a fork to take effect), so no private {@code /proc}: only
 *       {@code /proc/self/fd} is bound in, not the host's {@code /proc}.</li>
 *   <li>Classes are read lazily from the class path, which the new root hides: every class-path entry is
 *       opened, and the classes of directory entries loaded, before {@code pivot_root}.</li>
 *   <li>Inherited descriptors are closed by {@code scripts/virtiofsd} before the JVM starts (the JVM's own
 *       descriptors cannot be told apart from inherited ones afterwards).</li>
 *   <li>Credentials: no seccomp filter and no capability dropping here (per-request credentials belong to the
 *       passthrough file system).</li>
 * </ul>
 */
public enum Sandbox {
    NONE,
    NAMESPACE;

    public static Sandbox parse(String s) {
        return switch (s) {
            case "none" -> NONE;
            case "namespace" -> NAMESPACE;
            default -> throw new IllegalArgumentException("--sandbox must be none or namespace: " + s);
        };
    }

    /** Enters the sandbox on the calling thread; returns the path under which the shared directory is seen now. */
    public String enter(Path share) throws IOException {
        if (this == NONE) return share.toString();
        preloadClassPath();
        Namespaces.unshareMountNamespace();
        Namespaces.makeMountsSlave();
        // The share is held by a descriptor before the tmpfs goes over /tmp: a share below /tmp would be hidden
        // by it, and the bind then made from /proc/self/fd/N (SandboxTest).
        int shareFd = Sys.openat(Sys.AT_FDCWD, share.toString().getBytes(), Sys.O_PATH | Sys.O_DIRECTORY | Sys.O_CLOEXEC, 0);
        try {
            String root = "/tmp"; // any existing directory: the tmpfs over it exists only in the new namespace
            Namespaces.mountTmpfs(root, "size=64k,mode=0755");
            mkdirs(root + "/share");
            mkdirs(root + "/proc/self/fd");
            mkdirs(root + "/.old");
            String procFd = "/proc/" + ProcessHandle.current().pid() + "/fd";
            Namespaces.bindMount(procFd + "/" + shareFd, root + "/share", true);
            Namespaces.bindMount(procFd, root + "/proc/self/fd", false);
            Namespaces.pivotRoot(root, ".old");
        } finally {
            Sys.closeQuietly(shareFd);
        }
        return "/share";
    }

    private static void mkdirs(String path) throws ErrnoException {
        StringBuilder at = new StringBuilder();
        for (String part : path.substring(1).split("/")) {
            at.append('/').append(part);
            try {
                Sys.mkdirat(Sys.AT_FDCWD, at.toString().getBytes(), 0755);
            } catch (ErrnoException e) {
                if (e.errno() != io.drydock.kernel.sys.Errno.EEXIST) throw e;
            }
        }
    }

    /**
     * Opens every class-path entry (asking for a class that does not exist makes the class loader open them
     * all, and it keeps jars open) and loads every class of directory entries, whose files are opened one by
     * one on first use.
     */
    private static void preloadClassPath() throws IOException {
        ClassLoader loader = Sandbox.class.getClassLoader();
        try {
            Class.forName("io.drydock.virtiofs.vhostuser.NoSuchClassOpensEveryEntry", false, loader);
        } catch (ClassNotFoundException expected) {
            // every entry was searched
        }
        org.slf4j.LoggerFactory.getLogger(Sandbox.class).debug("sandbox: class path opened"); // logging configured now
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    String name = dir.relativize(f).toString().replace(File.separatorChar, '.');
                    name = name.substring(0, name.length() - ".class".length());
                    if (name.endsWith("module-info") || name.endsWith("package-info")) continue;
                    try {
                        Class.forName(name, false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // a class that cannot load here would not load later either
                    }
                }
            }
        }
    }
}
