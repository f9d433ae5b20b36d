package io.drydock.kernel.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Guest RAM as a sparse file on tmpfs, mapped shared and unlinked at once: {@code FileChannel.map} is the
 * JDK's own JNI mmap (and its arena's close the JNI munmap), so a cold run makes its RAM without linking an
 * FFM downcall — the first link in a JVM spins the downcall machinery, ~20 ms CPU of a bare ELF's start
 * (docs/startup.md, fifth pass). Like {@link Mmap}'s MAP_NORESERVE anonymous memory, pages read as zero and
 * are allocated on first touch (tmpfs(5): a file extended by ftruncate is a hole); the mapping keeps the
 * pages after the unlink, and closing unmaps them, which frees them.
 *
 * <p>Used only where it cannot fail more often than anonymous memory: a directory on tmpfs (never a disk
 * file system, whose shared pages would be written back) with room for the whole size now. A page the
 * tmpfs cannot back later (filled by others meanwhile) raises SIGBUS on the touching access, which
 * {@link RamAccess} classifies as {@link RamAccess.Failure#HOST_FAULT}; anonymous memory in that state
 * would wake the host's OOM killer instead. {@code -Ddrydock.ram.tmpfs=false} turns this off. A process killed
 * between the file's creation and its unlink (microseconds) leaves an empty {@code drydock-ram-PID-*} file
 * behind (O_TMPFILE would avoid it, but needs a native call).
 */
final class TmpfsRam {
    private TmpfsRam() {}

    /** Owner read and write only (open(2) O_CREAT mode 0600): no other user can open the file before the unlink. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    /**
     * O_CREAT|O_EXCL (CREATE_NEW): never opens a file or a symbolic link someone placed at the name (in the
     * sticky, world-writable /dev/shm nobody else can rename or remove our entry before our unlink either).
     */
    private static final Set<StandardOpenOption> NEW_FILE =
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    /** Names taken by someone else (a guessed name is at worst a denial): tries before falling back. */
    private static final int TRIES = 4;

    /** Where the host kernel says whether anonymous memory gets transparent huge pages (sysfs, admin-guide/mm/transhuge). */
    private static final Path THP_ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /**
     * The candidate directories: the user's own runtime directory, then /dev/shm; none when anonymous memory
     * would get transparent huge pages without asking (THP "always"): tmpfs pages are small unless the tmpfs
     * was mounted with huge=, and 2 MiB pages make first touches 512 times rarer and the emulator's accesses
     * miss the host TLB less, which is worth more to a guest than the link saved once.
     */
    static List<Path> directories() {
        if ("false".equals(System.getProperty("drydock.ram.tmpfs")) || Thp.ALWAYS) return List.of();
        List<Path> dirs = new ArrayList<>(2);
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && ours(Path.of(runtime))) dirs.add(Path.of(runtime));
        dirs.add(Path.of("/dev/shm"));
        return dirs;
    }

    /** THP's mode, read once per process (sysfs; it is the host's, not the machine's). */
    private static final class Thp {
        static final boolean ALWAYS = read();

        private static boolean read() {
            try {
                return anonymousGetsHugePages(Files.readString(THP_ENABLED));
            } catch (IOException | RuntimeException e) {
                return false; // no THP in this kernel: anonymous memory has small pages too
            }
        }
    }

    /**
     * True when {@code dir} belongs to the user this process runs as and no one else may write in it: an
     * inherited XDG_RUNTIME_DIR (sudo -E) is another user's, whose tmpfs our RAM must not fill.
     */
    private static boolean ours(Path dir) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            return Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
                    && !p.contains(PosixFilePermission.GROUP_WRITE) && !p.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code size} zero bytes mapped from an unlinked sparse file in the first of {@code dirs} on tmpfs with room
     * for them, unmapped when {@code arena} closes; null when none is usable (the caller maps anonymous memory).
     */
    static MemorySegment map(List<Path> dirs, long size, Arena arena) {
        for (Path dir : dirs) {
            if (!roomy(dir, size)) continue;
            for (int t = 0; t < TRIES; t++) {
                Path file = dir.resolve("drydock-ram-" + ProcessHandle.current().pid() + "-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                FileChannel ch;
                try {
                    ch = FileChannel.open(file, NEW_FILE, OWNER_ONLY);
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // the name is taken, or the directory refuses us: another name, then the next directory
                }
                try (ch) {
                    // Extends the file with ftruncate (a hole: nothing allocated) and maps it MAP_SHARED.
                    return ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                } catch (IOException | RuntimeException e) {
                    break; // mapping failed here: try the next directory
                } finally {
                    try { Files.deleteIfExists(file); } catch (IOException ignored) { /* our own 0600 file in a tmpfs: left for the reboot */ }
                }
            }
        }
        return null;
    }

    /** True for THP's "always" mode, the selected one in brackets ("[always] madvise never"). */
    static boolean anonymousGetsHugePages(String thpEnabled) {
        return thpEnabled.contains("[always]");
    }

    /** True when {@code dir} is a directory on tmpfs with at least {@code size} bytes free for us. */
    private static boolean roomy(Path dir, long size) {
        try {
            if (!Files.isDirectory(dir)) return false;
            FileStore store = Files.getFileStore(dir);
            return "tmpfs".equals(store.type()) && store.getUsableSpace() >= size;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
