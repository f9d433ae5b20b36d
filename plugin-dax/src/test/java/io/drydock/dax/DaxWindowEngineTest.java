package io.drydock.dax;

import io.drydock.kernel.bus.BusFault;
import io.drydock.kernel.memory.GuestMemoryException;
import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.virtiofs.fuse.abi.FuseDax.RemovemappingOne;
import io.drydock.virtiofs.fuse.abi.FuseDax.SetupmappingIn;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;

import static io.drydock.virtiofs.fuse.abi.FuseDax.FLAG_READ;
import static io.drydock.virtiofs.fuse.abi.FuseDax.FLAG_WRITE;
import static org.junit.jupiter.api.Assertions.*;

/** The mapping engine against real host files, placed on a test bus; the guest reads through GuestMemory and the bus. */
class DaxWindowEngineTest {
    static final long K = 1024, PAGE = 4096, MIB = 1 << 20, WINDOW = 0x10_0000_0000L;
    @TempDir Path dir;
    FakeGuestMemory ram;
    DaxWindowEngine dax;
    final FuseContext ctx = new FuseContext(1, 1, 0, 0, 1);
    final List<Path> files = new ArrayList<>();

    /** nodeid N = files[N]: what the passthrough's openForMapping does, minus confinement. */
    final DaxWindow.FileOpener opener = (nodeid, fh, writable) ->
            Sys.openat(Sys.AT_FDCWD, files.get((int) nodeid).toString().getBytes(StandardCharsets.UTF_8),
                    (writable ? Sys.O_RDWR : Sys.O_RDONLY) | Sys.O_CLOEXEC, 0);

    @BeforeEach void setUp() throws Exception {
        ram = new FakeGuestMemory();
        dax = (DaxWindowEngine) new DaxFactory().create("fs", 8 * MIB, 12, ram.bus(), ram.metrics());
        dax.place(OptionalLong.of(WINDOW));
    }

    @AfterEach void tearDown() {
        dax.close();
        ram.close();
    }

    private long file(int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        files.add(Files.write(dir.resolve("f" + files.size()), b));
        return files.size() - 1;
    }

    private byte[] host(long node, long off, int len) throws Exception {
        return Arrays.copyOfRange(Files.readAllBytes(files.get((int) node)), (int) off, (int) off + len);
    }

    private byte[] guest(long moffset, int len) {
        byte[] b = new byte[len];
        ram.memory().read(WINDOW + moffset, b);
        return b;
    }

    private void map(long node, long foffset, long len, long flags, long moffset) throws Exception {
        dax.setupMapping(ctx, node, new SetupmappingIn(-1, foffset, len, flags, moffset), opener);
    }

    private int errno(ThrowingRunnable r) {
        return assertThrows(FuseException.class, r::run).errno();
    }

    interface ThrowingRunnable { void run() throws Exception; }

    @Test
    void mapReadsTheFileAndRemoveReadsZeroAtOnce() throws Exception {
        long a = file((int) (2 * MIB), 1);
        map(a, 0, 2 * MIB, FLAG_READ, 2 * MIB);
        assertArrayEquals(host(a, 0, 64), guest(2 * MIB, 64));
        assertArrayEquals(host(a, MIB + 100, 4096), guest(3 * MIB + 100, 4096));
        assertEquals(Long.reverseBytes(java.nio.ByteBuffer.wrap(host(a, 8, 8)).getLong()), ram.bus().read(WINDOW + 2 * MIB + 8, 8));
        assertEquals(0, ram.memory().read64(WINDOW), "unmapped parts read zero");
        assertEquals(1, ram.metrics().numbers().get("dax.fs.mappings"));
        assertEquals(2 * MIB, ram.metrics().numbers().get("dax.fs.bytesMapped"));
        dax.removeMapping(ctx, List.of(new RemovemappingOne(2 * MIB, 2 * MIB)));
        assertArrayEquals(new byte[64], guest(2 * MIB, 64));
        assertEquals(0, dax.mappingCount());
        assertEquals(1, ram.metrics().numbers().get("dax.fs.unmapsTotal"));
        assertTrue(dax.toString().contains("0 mappings"), dax.toString());
    }

    @Test
    void exactOverlapReplacesAndPartialOverlapSplits() throws Exception {
        long a = file((int) MIB, 2), b = file((int) MIB, 3);
        map(a, 0, MIB, FLAG_READ, 0);
        map(b, 0, MIB, FLAG_READ, 0); // exact: replaced
        assertEquals(1, dax.mappingCount());
        assertArrayEquals(host(b, 0, 100), guest(0, 100));
        map(a, 0, MIB, FLAG_READ, MIB);
        map(b, 64 * K, 64 * K, FLAG_READ, MIB + 256 * K); // inside a's mapping: split in three
        List<DaxMapping> m = dax.mappings();
        assertEquals(4, m.size(), dax.toString());
        assertEquals(new DaxMapping(MIB, 256 * K, 0, 256 * K, FLAG_READ, false, a, files.get((int) a).toString()), m.get(1));
        assertEquals(MIB + 256 * K, m.get(2).moffset());
        assertEquals(b, m.get(2).nodeid());
        assertEquals(new DaxMapping(MIB + 320 * K, MIB - 320 * K, 320 * K, MIB - 320 * K, FLAG_READ, false, a,
                files.get((int) a).toString()), m.get(3));
        assertArrayEquals(host(b, 64 * K, 4096), guest(MIB + 256 * K, 4096));
        assertArrayEquals(host(a, 320 * K, 4096), guest(MIB + 320 * K, 4096));
        // unmapping across two mappings keeps the outer parts
        dax.removeMapping(ctx, List.of(new RemovemappingOne(MIB - 4 * K, 8 * K)));
        assertEquals(MIB - 4 * K, dax.mappings().get(0).length());
        assertEquals(MIB + 4 * K, dax.mappings().get(1).moffset());
        assertEquals(4 * K, dax.mappings().get(1).foffset());
        assertArrayEquals(new byte[8192], guest(MIB - 4 * K, 8192));
        assertEquals(2 * MIB - 8 * K, dax.bytesMapped());
    }

    @Test
    void badRequestsGetEinvalAndChangeNothing() throws Exception {
        long a = file((int) MIB, 4);
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, 0, FLAG_READ, 0)), "len 0");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, PAGE, FLAG_READ, 100)), "moffset misaligned");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 100, PAGE, FLAG_READ, 0)), "foffset misaligned");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, PAGE + 1, FLAG_READ, 0)), "len misaligned");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, 2 * MIB, FLAG_READ, 7 * MIB)), "past the window end");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, PAGE, FLAG_READ, 8 * MIB)), "at the window end");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, -PAGE, FLAG_READ, PAGE)), "len as a huge u64");
        assertEquals(Errno.EINVAL, errno(() -> map(a, -PAGE, PAGE, FLAG_READ, 0)), "foffset as a huge u64");
        assertEquals(Errno.EINVAL, errno(() -> map(a, 0, PAGE, 4, 0)), "unknown flag");
        assertEquals(Errno.EINVAL, errno(() -> dax.removeMapping(ctx, List.of(new RemovemappingOne(0, 0)))));
        assertEquals(Errno.EINVAL, errno(() -> dax.removeMapping(ctx, List.of(new RemovemappingOne(8 * MIB - PAGE, 2 * PAGE)))));
        assertEquals(0, dax.mappingCount());
        assertEquals(11, ram.metrics().numbers().get("dax.fs.refused"));
    }

    @Test
    void mappingsStopAtTheEndOfTheFileAndTheRestReadsZero() throws Exception {
        long a = file(5000, 5);
        map(a, 0, 64 * K, FLAG_READ, 0);
        assertEquals(8 * K, dax.mappings().getFirst().backed(), "5000 bytes → two pages in the file");
        assertArrayEquals(host(a, 0, 5000), guest(0, 5000));
        assertArrayEquals(new byte[3192], guest(5000, 3192), "the last page past EOF is zero");
        assertEquals(0, ram.memory().read64(WINDOW + 32 * K), "pages past EOF are zero pages, no SIGBUS");
        map(a, 64 * K, 4 * K, FLAG_READ, 64 * K); // wholly past EOF: maps nothing, reads zero
        assertEquals(0, ram.memory().read64(WINDOW + 64 * K));
    }

    /**
     * The host truncates a file under a live mapping: on JDK 25 the SIGBUS arrives as InternalError on the
     * accessing thread; GuestMemory reports a GuestMemoryException, the bus a BusFault (a hart then takes an
     * access fault). The JVM lives on, the rest of the window works, and REMOVEMAPPING heals the range.
     */
    @Test
    void truncationUnderALiveMappingFaultsTheGuestAccessNotTheJvm() throws Exception {
        long a = file((int) MIB, 6);
        map(a, 0, MIB, FLAG_READ | FLAG_WRITE, 0);
        try (FileChannel ch = FileChannel.open(files.get((int) a), StandardOpenOption.WRITE)) {
            ch.truncate(PAGE);
        }
        assertEquals(host(a, 0, 1)[0] & 0xff, ram.memory().read8(WINDOW), "the first page is still in the file");
        GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> ram.memory().read64(WINDOW + 512 * K));
        assertInstanceOf(InternalError.class, e.getCause());
        assertThrows(GuestMemoryException.class, () -> ram.memory().write64(WINDOW + 512 * K, 1));
        assertThrows(BusFault.class, () -> ram.bus().read(WINDOW + 512 * K, 4));
        assertThrows(BusFault.class, () -> ram.bus().write(WINDOW + 512 * K, 4, 1));
        dax.removeMapping(ctx, List.of(new RemovemappingOne(0, MIB)));
        assertEquals(0, ram.memory().read64(WINDOW + 512 * K));
    }

    @Test
    void writableMappingsReachTheHostFileAndReadOnlyOnesDoNot() throws Exception {
        long a = file((int) (64 * K), 7);
        byte[] before = Files.readAllBytes(files.get((int) a));
        map(a, 0, 64 * K, FLAG_READ, 0);
        ram.memory().write32(WINDOW + 16, 0x12345678);
        assertArrayEquals(before, Files.readAllBytes(files.get((int) a)), "a read-only mapping is private");
        map(a, 0, 64 * K, FLAG_READ | FLAG_WRITE, 0); // Linux upgrades by mapping again with WRITE
        assertArrayEquals(host(a, 16, 4), guest(16, 4), "the replacement shows the file again");
        ram.memory().write(WINDOW + 4096, "through the window".getBytes(StandardCharsets.UTF_8));
        assertEquals("through the window", new String(host(a, 4096, 18), StandardCharsets.UTF_8));
        assertTrue(dax.mappings().getFirst().writable());
        assertTrue(dax.toString().contains(" rw flags=RW "), dax.toString());
    }

    @Test
    void concurrentSetupmappingFromTwoQueuesKeepsTheTableAndWindowConsistent() throws Exception {
        long a = file((int) MIB, 8), b = file((int) MIB, 9);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            long node = t == 0 ? a : b;
            int seed = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    Random r = new Random(seed);
                    for (int i = 0; i < 300; i++) {
                        long moff = r.nextInt(28) * 256 * K, len = (1 + r.nextInt(4)) * 64 * K, foff = r.nextInt(8) * 64 * K;
                        map(node, foff, len, FLAG_READ, moff);
                        if (i % 10 == 9) dax.removeMapping(ctx, List.of(new RemovemappingOne(r.nextInt(32) * 256 * K, 128 * K)));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        for (Thread t : threads) t.join();
        assertEquals(List.of(), failures);
        long end = 0, total = 0;
        for (DaxMapping m : dax.mappings()) {
            assertTrue(m.moffset() >= end, "no overlaps");
            end = m.end();
            total += m.length();
            assertArrayEquals(host(m.nodeid(), m.foffset(), 4096), guest(m.moffset(), 4096), "window shows what the table says: " + m);
        }
        assertEquals(total, dax.bytesMapped());
        assertEquals(600, ram.metrics().numbers().get("dax.fs.mapsTotal"));
    }

    @Test
    void oneRemovemappingWithAThousandRanges() throws Exception {
        long a = file((int) (1000 * PAGE), 10);
        List<RemovemappingOne> ranges = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            map(a, i * PAGE, PAGE, FLAG_READ, i * 2 * PAGE);
            ranges.add(new RemovemappingOne(i * 2 * PAGE, PAGE));
        }
        assertEquals(1000, dax.mappingCount());
        dax.removeMapping(ctx, ranges);
        assertEquals(0, dax.mappingCount());
        assertArrayEquals(new byte[(int) (2000 * PAGE)], guest(0, (int) (2000 * PAGE)));
        assertEquals(1000, ram.metrics().numbers().get("dax.fs.unmapsTotal"));
    }

    @Test
    void theWindowMovesWithItsMappingsAndCanBeRemoved() throws Exception {
        long a = file((int) MIB, 11);
        map(a, 0, MIB, FLAG_READ, 0);
        long moved = WINDOW + 0x1_0000_0000L;
        dax.place(OptionalLong.empty());
        assertFalse(ram.memory().isRam(WINDOW, 8));
        dax.place(OptionalLong.of(moved));
        assertEquals(OptionalLong.of(moved), dax.guestBase());
        byte[] b = new byte[256];
        ram.memory().read(moved + 4096, b);
        assertArrayEquals(host(a, 4096, 256), b);
        dax.removeAll();
        assertEquals(0, ram.memory().read64(moved + 4096));
    }
}
