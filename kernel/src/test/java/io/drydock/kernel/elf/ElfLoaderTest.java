package io.drydock.kernel.elf;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ElfLoaderTest {
    static final long DRAM = 0x8000_0000L;

    private static GuestMemory ram() throws Exception {
        SystemBus bus = new SystemBus(new MetricsRegistry());
        bus.addRam("dram", DRAM, MemoryBacking.anonymous(Sizes.MiB));
        return bus.memory();
    }

    @Test
    void loadsSegmentsAtPhysicalAddressesAndZeroesBss() throws Exception {
        byte[] text = {0x13, 0, 0, 0, 0x6f, 0, 0, 0};
        byte[] data = {1, 2, 3};
        TestElf elf = new TestElf().seg(DRAM, text, text.length, ElfImage.PF_R | ElfImage.PF_X)
                .seg(DRAM + 0x1000, data, 64, ElfImage.PF_R | ElfImage.PF_W)
                .sym("_start", DRAM, 8, 2).sym("counter", DRAM + 0x1000, 4, 1);
        elf.entry = DRAM + 4;
        ElfImage image = ElfImage.parse(elf.build());
        assertEquals(ElfImage.EM_RISCV, image.machine());
        assertEquals(DRAM + 4, image.entry());
        assertEquals(2, image.loadSegments().size());
        assertEquals(DRAM, image.lowestLoadAddress());

        GuestMemory mem = ram();
        mem.fill(DRAM + 0x1003, 16, (byte) 0x55); // garbage where .bss goes
        ElfLoader.Loaded loaded = ElfLoader.load(image, mem);
        assertEquals(new ElfLoader.Loaded(DRAM + 4, DRAM, DRAM + 0x1000 + 64), loaded);
        byte[] back = new byte[8];
        mem.read(DRAM, back);
        assertArrayEquals(text, back);
        assertEquals(3, mem.read8(DRAM + 0x1002));
        assertEquals(0, mem.read8(DRAM + 0x1003), ".bss is zeroed");
        assertEquals(0, mem.read64(DRAM + 0x1008));
    }

    @Test
    void symbolsAreReadAndSymbolized() throws Exception {
        TestElf elf = new TestElf().seg(DRAM, new byte[32], 32, ElfImage.PF_R | ElfImage.PF_X)
                .sym("_start", DRAM, 16, 2).sym("main", DRAM + 16, 16, 2);
        ElfImage image = ElfImage.parse(elf.build());
        assertEquals(DRAM + 16, image.symbol("main").value());
        assertEquals("_start", image.symbolize(DRAM));
        assertEquals("_start+0x4", image.symbolize(DRAM + 4));
        assertEquals("main+0x8", image.symbolize(DRAM + 24));
        assertNull(image.symbolize(DRAM + 64), "past the last symbol's size");
        assertNull(image.symbolize(DRAM - 1));
    }

    @Test
    void segmentsThatDoNotFitInRamAreRefused() throws Exception {
        ElfImage outside = ElfImage.parse(new TestElf().seg(0x1000, new byte[4], 4, ElfImage.PF_R).build());
        var e = assertThrows(ElfFormatException.class, () -> ElfLoader.load(outside, ram()));
        assertTrue(e.getMessage().contains("0x1000"), e.getMessage());
        ElfImage tooBig = ElfImage.parse(new TestElf().seg(DRAM, new byte[4], 2 * Sizes.MiB, ElfImage.PF_R).build());
        assertThrows(ElfFormatException.class, () -> ElfLoader.load(tooBig, ram()));
    }

    @Test
    void malformedFilesGiveFormatErrorsNeverIndexErrors() throws Exception {
        byte[] good = new TestElf().seg(DRAM, new byte[16], 16, ElfImage.PF_R).sym("x", DRAM, 1, 1).build();
        assertThrows(ElfFormatException.class, () -> ElfImage.parse(new byte[10]));
        assertThrows(ElfFormatException.class, () -> ElfImage.parse("#!/bin/sh\necho not an elf, but long enough to have a header of sixty-four bytes".getBytes()));
        byte[] class32 = good.clone();
        class32[4] = 1;
        assertThrows(ElfFormatException.class, () -> ElfImage.parse(class32));
        byte[] bigEndian = good.clone();
        bigEndian[5] = 2;
        assertThrows(ElfFormatException.class, () -> ElfImage.parse(bigEndian));
        // Every truncation and every single-byte corruption either parses or fails cleanly.
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            try { ElfImage.parse(cut); } catch (ElfFormatException expected) { /* clean refusal */ }
        }
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) 0xff;
            try { ElfImage.parse(bad); } catch (ElfFormatException expected) { /* clean refusal */ }
        }
    }

    @Test
    void memSizeSmallerThanFileSizeIsRefused() {
        byte[] bad = new TestElf().seg(DRAM, new byte[16], 8, ElfImage.PF_R).build();
        var e = assertThrows(ElfFormatException.class, () -> ElfImage.parse(bad));
        assertTrue(e.getMessage().contains("p_memsz"));
    }
}
