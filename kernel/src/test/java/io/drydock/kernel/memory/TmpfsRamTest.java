package io.drydock.kernel.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Guest RAM on an unlinked tmpfs file (TmpfsRam): lazy, zero, gone from the directory, and the fallback. */
class TmpfsRamTest {
    static final Path SHM = Path.of("/dev/shm");

    static boolean shmIsTmpfs() throws Exception {
        return Files.isDirectory(SHM) && "tmpfs".equals(Files.getFileStore(SHM).type());
    }

    /** This process's resident shared-memory pages (proc(5), /proc/pid/status RssShmem), in bytes. */
    static long rssShmem() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssShmem:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new AssertionError("no RssShmem in /proc/self/status");
    }

    static List<Path> ourFiles() throws Exception {
        try (Stream<Path> s = Files.list(SHM)) {
            String prefix = "drydock-ram-" + ProcessHandle.current().pid() + "-";
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    @Test
    void fourGiBOnTmpfsReadZeroAllocateOnlyWhatIsTouchedAndLeaveNoFile() throws Exception {
        assumeTrue(shmIsTmpfs(), "/dev/shm is not a tmpfs here");
        long size = 4 * Sizes.GiB;
        assumeTrue(Files.getFileStore(SHM).getUsableSpace() >= size, "/dev/shm has less than 4 GiB free");
        long shmBefore = rssShmem();
        try (AnonymousMemory m = AnonymousMemory.map(size, List.of(SHM))) {
            assertTrue(m.onTmpfs(), m.describe());
            assertEquals(List.of(), ourFiles(), "unlinked once mapped");
            assertEquals(size, m.size());
            assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, size - 8));
            m.segment().set(ValueLayout.JAVA_LONG, size - 8, 0x1234_5678_9abcL);
            m.segment().set(ValueLayout.JAVA_LONG, 2 * Sizes.GiB, -1L);
            assertEquals(0x1234_5678_9abcL, m.segment().get(ValueLayout.JAVA_LONG, size - 8));
            // Two pages written (four read): nowhere near 4 GiB resident (allowing for huge pages and neighbours).
            assertTrue(rssShmem() - shmBefore < 64 * Sizes.MiB, "RssShmem grew by " + (rssShmem() - shmBefore));
            m.close();
            assertThrows(IllegalStateException.class, () -> m.segment().get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void withoutAUsableTmpfsItIsAnonymousMemory(@TempDir Path disk) throws Exception {
        List<List<Path>> unusable = List.of(List.of(), List.of(disk.resolve("missing")));
        for (List<Path> dirs : unusable) {
            try (AnonymousMemory m = AnonymousMemory.map(Sizes.MiB, dirs)) {
                assertFalse(m.onTmpfs(), dirs.toString());
                assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, Sizes.MiB - 8));
            }
        }
        if (!"tmpfs".equals(Files.getFileStore(disk).type())) {
            // A disk file system is never used (its shared pages would be written back to the disk).
            try (AnonymousMemory m = AnonymousMemory.map(Sizes.MiB, List.of(disk))) {
                assertFalse(m.onTmpfs());
            }
            try (Stream<Path> s = Files.list(disk)) { assertEquals(0, s.count(), "no file made there"); }
        }
    }

    @Test
    void notUsedWhereAnonymousMemoryGetsHugePagesUnasked() {
        assertTrue(TmpfsRam.anonymousGetsHugePages("[always] madvise never\n"));
        assertFalse(TmpfsRam.anonymousGetsHugePages("always [madvise] never\n"));
        assertFalse(TmpfsRam.anonymousGetsHugePages("always madvise [never]\n"));
    }

    @Test
    void aTmpfsWithoutRoomForTheWholeSizeIsSkipped() throws Exception {
        assumeTrue(shmIsTmpfs(), "/dev/shm is not a tmpfs here");
        long tooBig = Files.getFileStore(SHM).getTotalSpace() + Sizes.GiB;
        try (AnonymousMemory m = AnonymousMemory.map(tooBig, List.of(SHM))) {
            assertFalse(m.onTmpfs(), "more than the tmpfs holds: anonymous NORESERVE memory instead");
        }
        assertEquals(List.of(), ourFiles());
    }
}
