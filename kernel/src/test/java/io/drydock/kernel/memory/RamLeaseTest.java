package io.drydock.kernel.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * RamLease: a backing a CPU is inside is not unmapped under it (an access by raw address to unmapped memory
 * would kill the JVM); the unmap waits for the last one out, and nobody enters a closed lease.
 */
class RamLeaseTest {
    @Test
    void closeWhileInsideWaitsForTheLastExit() throws Exception {
        MemoryBacking m = MemoryBacking.anonymous(Sizes.MiB);
        RamLease lease = m.lease();
        assertTrue(lease.enter());
        assertTrue(lease.enter());
        m.close();
        assertTrue(lease.closed());
        assertFalse(lease.enter(), "nobody enters a closed lease");
        m.segment().set(ValueLayout.JAVA_LONG, 8, 7); // still mapped for those inside
        lease.exit();
        assertEquals(7, m.segment().get(ValueLayout.JAVA_LONG, 8));
        lease.exit();
        assertFalse(m.segment().scope().isAlive(), "the last one out unmapped");
        assertThrows(IllegalStateException.class, () -> m.segment().get(ValueLayout.JAVA_LONG, 8));
        m.close(); // idempotent
        assertThrows(IllegalStateException.class, lease::exit, "an exit without its enter is a bug");
    }

    @Test
    void closeWithNobodyInsideUnmapsAtOnceAndClosesTheMemfd() throws Exception {
        SharedMemoryFile m = MemoryBacking.sharedFile("drydock-lease-test", Sizes.MiB);
        Path fd = Path.of("/proc/self/fd/" + m.fd());
        assertTrue(Files.exists(fd));
        assertTrue(m.lease().enter());
        m.lease().exit();
        m.close();
        assertFalse(m.segment().scope().isAlive());
        assertFalse(Files.exists(fd), "the descriptor is closed with the mapping");
    }

    @Test
    void fileBackedMappingsHaveNoLease() throws Exception {
        Path file = Files.createTempFile("drydock-lease", ".bin");
        try (MemoryBacking m = MemoryBacking.mappedFile(file, 0, 4096, false)) {
            Files.write(file, new byte[4096]);
            assertNull(m.lease(), "a host file's pages can vanish under a raw address");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void racingEntersAndACloseUnmapOnlyAfterEveryoneLeft() throws Exception {
        for (int round = 0; round < 20; round++) {
            MemoryBacking m = MemoryBacking.anonymous(64 * 1024);
            RamLease lease = m.lease();
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong sawUnmappedInside = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (lease.enter()) {
                        try {
                            m.segment().set(ValueLayout.JAVA_LONG, 0, 1); // throws if unmapped under us
                        } catch (IllegalStateException e) {
                            sawUnmappedInside.incrementAndGet();
                        }
                        lease.exit();
                    }
                }));
            }
            go.countDown();
            Thread.sleep(2);
            m.close();
            for (Thread t : threads) t.join();
            assertEquals(0, sawUnmappedInside.get());
            assertFalse(m.segment().scope().isAlive(), "unmapped once everyone left");
        }
    }
}
