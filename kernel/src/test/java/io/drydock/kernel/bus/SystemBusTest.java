package io.drydock.kernel.bus;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class SystemBusTest {
    static final long DRAM = 0x8000_0000L;

    /** A device that records what it sees. */
    static final class Recorder implements BusDevice {
        final List<String> log = new ArrayList<>();
        @Override public long read(long offset, int size) {
            log.add("r" + size + "@" + offset);
            return 0x1122334455667788L >>> (64 - 8 * size);
        }
        @Override public void write(long offset, int size, long value) { log.add("w" + size + "@" + offset + "=" + Long.toHexString(value)); }
    }

    MetricsRegistry metrics;
    SystemBus bus;
    GuestMemory mem;

    @BeforeEach
    void setUp() throws Exception {
        metrics = new MetricsRegistry();
        bus = new SystemBus(metrics);
        bus.addRam("dram", DRAM, MemoryBacking.anonymous(16 * Sizes.MiB));
        mem = bus.memory();
    }

    @Test
    void littleEndianAccessorsOfEveryWidth() {
        mem.write64(DRAM + 8, 0x0102030405060708L);
        assertEquals(0x08, mem.read8(DRAM + 8));
        assertEquals(0x0708, mem.read16(DRAM + 8));
        assertEquals(0x05060708, mem.read32(DRAM + 8));
        assertEquals(0x0102030405060708L, mem.read64(DRAM + 8));
        mem.write16(DRAM + 3, 0xbeef);
        assertEquals(0xef, mem.read8(DRAM + 3));
        assertEquals(0xbe, mem.read8(DRAM + 4));
        mem.write32(DRAM + 1, -1);
        assertEquals(0xffffffffL, bus.read(DRAM + 1, 4));
        assertEquals(0xffff, mem.read16(DRAM + 1)); // zero-extended
    }

    @Test
    void bulkCopiesThroughArraysBuffersAndSegments() {
        byte[] data = "hello, guest".getBytes();
        mem.write(DRAM + 100, data);
        byte[] back = new byte[data.length];
        mem.read(DRAM + 100, back);
        assertArrayEquals(data, back);
        ByteBuffer bb = ByteBuffer.allocateDirect(5);
        mem.read(DRAM + 100, bb);
        assertEquals(5, bb.position());
        MemorySegment seg = MemorySegment.ofArray(new byte[4]);
        mem.read(DRAM + 107, seg, 0, 4);
        assertEquals('g', seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        mem.fill(DRAM + 100, 3, (byte) 'x');
        assertEquals('x', mem.read8(DRAM + 102));
        assertEquals('l', mem.read8(DRAM + 103));
        assertEquals(4, mem.slice(DRAM + 100, 4).byteSize());
    }

    @Test
    void everyAccessOutsideRamIsAGuestMemoryException() {
        long end = DRAM + 16 * Sizes.MiB;
        assertThrows(GuestMemoryException.class, () -> mem.read8(DRAM - 1));
        assertThrows(GuestMemoryException.class, () -> mem.read32(end - 2)); // straddles the end
        assertThrows(GuestMemoryException.class, () -> mem.read64(end));
        assertThrows(GuestMemoryException.class, () -> mem.write(end - 4, new byte[5]));
        assertThrows(GuestMemoryException.class, () -> mem.read(Long.MAX_VALUE - 2, new byte[8])); // overflow
        assertThrows(GuestMemoryException.class, () -> mem.slice(DRAM, -1));
        assertThrows(GuestMemoryException.class, () -> mem.read(-8, new byte[8]));
        assertEquals(0, mem.read32(end - 4)); // the last word is fine
        var e = assertThrows(GuestMemoryException.class, () -> mem.read64(0x1000));
        assertEquals(0x1000, e.address());
        assertTrue(e.getMessage().contains("0x1000"), e.getMessage());
    }

    @Test
    void devicesGetLocalOffsetsAndAreCounted() {
        Recorder dev = new Recorder();
        bus.addDevice("uart", 0x1000_0000L, 0x100, dev);
        assertEquals(0x11, bus.read(0x1000_0005L, 1));
        bus.write(0x1000_0010L, 4, 0xabcdL);
        assertEquals(List.of("r1@5", "w4@16=abcd"), dev.log);
        assertEquals(1L, metrics.numbers().get("mmio.uart.reads"));
        assertEquals(1L, metrics.numbers().get("mmio.uart.writes"));
    }

    @Test
    void accessToNothingIsABusFaultNotACrash() {
        BusFault f = assertThrows(BusFault.class, () -> bus.read(0x5000, 4));
        assertEquals(0x5000, f.address());
        assertFalse(f.isWrite());
        assertTrue(f.getMessage().contains("nothing mapped"));
        assertEquals(0, f.getStackTrace().length, "guest faults are cheap: no stack trace");
        bus.addDevice("dev", 0x2000, 0x10, new Recorder());
        assertThrows(BusFault.class, () -> bus.write(0x200e, 4, 0)); // crosses the end
    }

    @Test
    void aFailingDeviceBecomesABusFaultAndIsCounted() {
        bus.addDevice("broken", 0x2000, 0x10, new BusDevice() {
            @Override public long read(long offset, int size) { throw new IllegalStateException("boom"); }
            @Override public void write(long offset, int size, long value) {}
        });
        BusFault f = assertThrows(BusFault.class, () -> bus.read(0x2000, 4));
        assertInstanceOf(IllegalStateException.class, f.getCause());
        assertEquals(1L, metrics.numbers().get("mmio.broken.faults"));
    }

    @Test
    void overlappingRegionsAreRefused() {
        bus.addDevice("a", 0x1000, 0x1000, new Recorder());
        var e = assertThrows(BusConflictException.class, () -> bus.addDevice("b", 0x1800, 0x1000, new Recorder()));
        assertTrue(e.getMessage().contains("overlaps a"), e.getMessage());
        assertThrows(BusConflictException.class, () -> bus.addDevice("c", DRAM + 0x1000, 0x10, new Recorder()));
        assertThrows(BusConflictException.class, () -> bus.addDevice("d", Long.MAX_VALUE - 4, 0x10, new Recorder()));
        bus.addDevice("adjacent", 0x2000, 0x1000, new Recorder()); // touching is fine
    }

    @Test
    void regionsMoveAndDisappearWhileMapped() {
        AtomicInteger changes = new AtomicInteger();
        bus.addChangeListener(changes::incrementAndGet);
        Recorder dev = new Recorder();
        BusRegion bar = bus.addDevice("bar0", 0x4000_0000L, 0x1000, dev);
        bus.read(0x4000_0000L, 4);
        BusRegion moved = bus.move(bar, 0x4010_0000L);
        assertThrows(BusFault.class, () -> bus.read(0x4000_0000L, 4));
        bus.read(0x4010_0004L, 4);
        assertEquals(List.of("r4@0", "r4@4"), dev.log);
        bus.remove(moved);
        assertThrows(BusFault.class, () -> bus.read(0x4010_0004L, 4));
        assertEquals(3, changes.get());
        assertThrows(IllegalArgumentException.class, () -> bus.remove(moved));
    }

    @Test
    void ramCanBeAddedAndRemovedAtRunTimeAndRemovalUnmapsAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("window");
        Files.write(file, java.util.Arrays.copyOf("file contents".getBytes(), 4096));
        long window = 0x4_0000_0000L;
        var region = bus.addRam("dax", window, MemoryBacking.mappedFile(file, 0, 4096, true));
        assertEquals('f', mem.read8(window));
        assertEquals('f', bus.read(window, 1));
        assertThrows(BusFault.class, () -> bus.write(window, 1, 'x')); // read-only mapping
        assertThrows(GuestMemoryException.class, () -> mem.write8(window, 'x'));
        BusRegion entry = bus.regions().stream().filter(r -> r.name().equals("dax")).findFirst().orElseThrow();
        MemorySegment kept = mem.slice(window, 4);
        bus.remove(entry);
        assertThrows(GuestMemoryException.class, () -> mem.read8(window));
        assertThrows(IllegalStateException.class, () -> kept.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0),
                "a slice handed out earlier no longer reaches the unmapped file");
        assertThrows(IllegalStateException.class, () -> region.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void concurrentAccessesDuringMovesNeverSeeHalfAMap() throws Exception {
        Recorder dev = new Recorder();
        BusRegion[] bar = {bus.addDevice("bar", 0x4000_0000L, 0x1000, dev)};
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 200_000 && failure.get() == null; i++) {
                try {
                    bus.read(DRAM + (i & 0xfff) * 8L, 8); // RAM must always answer
                } catch (RuntimeException f) {
                    failure.set(f);
                }
            }
        });
        for (int i = 0; i < 2000; i++) bar[0] = bus.move(bar[0], (i % 2 == 0) ? 0x4100_0000L : 0x4000_0000L);
        reader.join();
        assertNull(failure.get(), "RAM access failed during BAR moves");
    }
}
