package io.drydock.kernel.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class MemoryBackingTest {
    @Test
    void anonymousMemoryIsZeroedAndUnmapsDeterministically() throws Exception {
        MemoryBacking m = MemoryBacking.anonymous(64 * Sizes.MiB);
        assertEquals(64 * Sizes.MiB, m.size());
        assertEquals(0, m.segment().get(ValueLayout.JAVA_LONG, 32 * Sizes.MiB));
        m.segment().set(ValueLayout.JAVA_INT, 100, 0xcafe);
        assertEquals(0xcafe, m.segment().get(ValueLayout.JAVA_INT, 100));
        m.close();
        assertThrows(IllegalStateException.class, () -> m.segment().get(ValueLayout.JAVA_INT, 100));
        m.close(); // idempotent
    }

    @Test
    void sharedMemoryFileHasAnFdAndIsSharedAcrossMappings() throws Exception {
        try (SharedMemoryFile m = MemoryBacking.sharedFile("drydock-test", Sizes.MiB)) {
            assertTrue(m.fd() >= 0);
            m.segment().set(ValueLayout.JAVA_BYTE, 5, (byte) 42);
            // The memfd is visible through /proc/self/fd: a second mapping of the same file sees the byte.
            Path viaProc = Path.of("/proc/self/fd/" + m.fd());
            try (MemoryBacking again = MemoryBacking.mappedFile(viaProc, 0, Sizes.MiB, true)) {
                assertEquals(42, again.segment().get(ValueLayout.JAVA_BYTE, 5));
            }
        }
    }

    @Test
    void mappedFileWritesReachTheFileAndUnmapAtClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data");
        Files.write(file, new byte[8192]);
        MemoryBacking m = MemoryBacking.mappedFile(file, 4096, 4096, false);
        m.segment().set(ValueLayout.JAVA_BYTE, 1, (byte) 7);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.segment().get(ValueLayout.JAVA_BYTE, 1));
        assertEquals(7, Files.readAllBytes(file)[4097]);
    }

    @Test
    void readOnlyMappingRefusesWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ro");
        Files.write(file, new byte[4096]);
        try (MemoryBacking m = MemoryBacking.mappedFile(file, 0, 4096, true)) {
            assertTrue(m.segment().isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> m.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MemoryBacking.anonymous(0));
        assertThrows(IllegalArgumentException.class, () -> MemoryBacking.mappedFile(Path.of("/dev/null"), -1, 1, true));
    }

    @Test
    void sizesParseAndFormat() {
        assertEquals(256 * Sizes.MiB, Sizes.parse("256M"));
        assertEquals(4 * Sizes.KiB, Sizes.parse("4KiB"));
        assertEquals(Sizes.GiB, Sizes.parse("1G"));
        assertEquals(123, Sizes.parse("123"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("12Q"));
        assertEquals("256 MiB", Sizes.format(256 * Sizes.MiB));
        assertEquals("1.5 KiB", Sizes.format(1536));
        assertEquals("7 B", Sizes.format(7));
    }
}
