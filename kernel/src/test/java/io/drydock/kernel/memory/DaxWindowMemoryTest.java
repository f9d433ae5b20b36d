package io.drydock.kernel.memory;

import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class DaxWindowMemoryTest {
    private static final long P = DaxWindowMemory.PAGE_SIZE;
    @TempDir Path dir;

    private Path file(String name, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void unmappedWindowReadsZeroAndStrayWritesAreDroppedByZero() throws Exception {
        try (DaxWindowMemory w = MemoryBacking.daxWindow(1 << 20)) {
            assertEquals(0, w.segment().get(ValueLayout.JAVA_LONG, 12345 & ~7));
            w.segment().set(ValueLayout.JAVA_INT, 8192, 0x55aa);
            assertEquals(0x55aa, w.segment().get(ValueLayout.JAVA_INT, 8192));
            w.zero(8192, P);
            assertEquals(0, w.segment().get(ValueLayout.JAVA_INT, 8192));
        }
    }

    @Test
    void sharedMappingShowsTheFileAndWritesReachIt() throws Exception {
        Path f = file("a", (int) (4 * P), 1);
        byte[] want = Files.readAllBytes(f);
        try (DaxWindowMemory w = MemoryBacking.daxWindow(16 * P);
             HostFd ch = HostFd.open(f, true)) {
            int fd = ch.fd();
            long base = w.segment().address();
            w.mapFile(2 * P, 2 * P, fd, P, true);
            assertEquals(base, w.segment().address(), "the window never moves");
            assertEquals(want[(int) P + 7], w.segment().get(ValueLayout.JAVA_BYTE, 2 * P + 7));
            w.segment().set(ValueLayout.JAVA_BYTE, 3 * P, (byte) 0x5a);
            assertEquals(0x5a, Files.readAllBytes(f)[(int) (2 * P)]);
            w.zero(2 * P, 2 * P);
            assertEquals(0, w.segment().get(ValueLayout.JAVA_BYTE, 2 * P + 7), "unmapped at once");
        }
    }

    @Test
    void privateMappingKeepsStoresOutOfTheFile() throws Exception {
        Path f = file("b", (int) P, 2);
        byte[] want = Files.readAllBytes(f);
        try (DaxWindowMemory w = MemoryBacking.daxWindow(4 * P); HostFd ch = HostFd.open(f, false)) {
            w.mapFile(0, P, ch.fd(), 0, false);
            assertEquals(want[9], w.segment().get(ValueLayout.JAVA_BYTE, 9));
            w.segment().set(ValueLayout.JAVA_BYTE, 9, (byte) ~want[9]);
            assertArrayEquals(want, Files.readAllBytes(f));
        }
    }

    @Test
    void rangesMustBePageAlignedInsideTheWindow() throws Exception {
        Path f = file("c", (int) P, 3);
        try (DaxWindowMemory w = MemoryBacking.daxWindow(4 * P); HostFd ch = HostFd.open(f, false)) {
            int fd = ch.fd();
            assertThrows(IllegalArgumentException.class, () -> w.mapFile(1, P, fd, 0, false));
            assertThrows(IllegalArgumentException.class, () -> w.mapFile(0, P + 1, fd, 0, false));
            assertThrows(IllegalArgumentException.class, () -> w.mapFile(0, P, fd, 1, false));
            assertThrows(IllegalArgumentException.class, () -> w.mapFile(4 * P, P, fd, 0, false));
            assertThrows(IllegalArgumentException.class, () -> w.mapFile(0, 0, fd, 0, false));
            assertThrows(IllegalArgumentException.class, () -> w.zero(3 * P, 2 * P));
            w.close();
            assertThrows(IllegalStateException.class, () -> w.zero(0, P));
        }
    }

    /**
     * JDK 25 on Linux: touching a shared file page past the end of a truncated file raises SIGBUS, which the JVM
     * turns into InternalError on the accessing thread (interpreted and compiled); GuestMemory reports a
     * GuestMemoryException and the bus a BusFault. The JVM survives and the rest of the window still works.
     */
    @Test
    void truncatedFileUnderAMappingFaultsCleanly() throws Exception {
        Path f = file("d", (int) (4 * P), 4);
        MetricsRegistry metrics = new MetricsRegistry();
        SystemBus bus = new SystemBus(metrics);
        long base = 0x10_0000_0000L;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            DaxWindowMemory w = MemoryBacking.daxWindow(8 * P);
            bus.addRam("dax", base, w);
            try (HostFd h = HostFd.open(f, true)) { w.mapFile(0, 4 * P, h.fd(), 0, true); }
            for (int i = 0; i < 20_000; i++) bus.read(base + (i % 4) * P, 8); // let the JIT compile the path
            for (int i = 0; i < 20_000; i++) bus.memory().read64(base + (i % 4) * P); // and GuestMemory's (a SIGBUS in compiled code is thrown at the next safepoint check)
            for (int i = 0; i < 20_000; i++) bus.memory().write32(base + (i % 4) * P + 64, i);
            ch.truncate(P);
            assertEquals(Files.readAllBytes(f)[5] & 0xff, bus.memory().read8(base + 5), "the page still in the file reads");
            for (int i = 0; i < 3; i++) {
                GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> bus.memory().read64(base + 2 * P));
                assertInstanceOf(InternalError.class, e.getCause());
                assertThrows(GuestMemoryException.class, () -> bus.memory().read(base + 2 * P, new byte[64]));
                assertThrows(GuestMemoryException.class, () -> bus.memory().write32(base + 3 * P, 1));
                BusFault b = assertThrows(BusFault.class, () -> bus.read(base + 2 * P, 4));
                assertInstanceOf(InternalError.class, b.getCause());
                assertThrows(BusFault.class, () -> bus.write(base + 3 * P, 8, 1));
            }
            assertEquals(0, bus.read(base + 5 * P, 8), "the unmapped rest of the window is unaffected");
            w.zero(0, 4 * P);
            assertEquals(0, bus.memory().read64(base + 2 * P), "zeroing the range heals it");
        } finally {
            bus.closeAll();
        }
    }
}
