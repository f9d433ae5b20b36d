package io.drydock.riscv;

import io.drydock.kernel.memory.MemoryBacking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The data TLBs' fast entries (Tlb.fast) behind Interpreter.ldN/stN: only pages of the primary RAM segment
 * (the largest region not backed by a host file) enter them; pages of other regions hit the full entries (the second path);
 * an access that crosses into the next page misses by its tag alone and is split (misaligned accesses never
 * trap, README "Documented behaviour"), one that is misaligned inside its page hits. The tests call ldN/stN
 * directly, as Interpreter.execute does between Mmu.enterRam and leaveRam (fast entries are filled only there).
 */
class FastTlbTest extends BareHartTest {
    static final long PAGE = BASE + 0x8000, EXTRA = 0x7000_0000L, FILE = 0x6000_0000L;

    @BeforeEach
    void enter() { h.mmu.enterRam(); }

    @AfterEach
    void leave() { h.mmu.leaveRam(); }

    private long fastTag(long va) { return h.mmu.loads.fastTag((int) (va >>> 12) & Tlb.MASK); }

    private long storeFastTag(long va) { return h.mmu.stores.fastTag((int) (va >>> 12) & Tlb.MASK); }

    private long tag(long va) { return h.mmu.lTag[(int) (va >>> 12) & Tlb.MASK]; }

    @Test
    void dramPagesEnterTheFastEntries() {
        bus.write(PAGE + 16, 8, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, h.interpreter.ld64(PAGE + 16)); // miss: fills
        assertEquals(PAGE >>> 12, fastTag(PAGE));
        assertEquals(0x1122_3344_5566_7788L, h.interpreter.ld64(PAGE + 16)); // hit
        assertEquals(0x3344_5566, h.interpreter.ld32(PAGE + 18)); // misaligned inside the page: a hit, bytes 18..21
        h.interpreter.st16(PAGE + 40, 0xabcd);
        assertEquals(PAGE >>> 12, storeFastTag(PAGE));
        h.interpreter.st16(PAGE + 41, 0x1234); // hit, overlapping
        assertEquals(0x1234cd, bus.read(PAGE + 40, 4));
    }

    @Test
    void anAccessCrossingIntoTheNextPageMissesAndIsSplit() {
        // Sv39 in S-mode, the two virtual pages on physical pages in the opposite order (priv 1.12 §4.4), so an
        // access that ran on past its page's end in host memory would read the wrong bytes
        long root = BASE + 0x4000, l1 = BASE + 0x5000, l0 = BASE + 0x6000, va = 0x4000_0000L, lo = BASE + 0x9000, hi = BASE + 0x8000;
        long leaf = Mmu.PTE_V | Mmu.PTE_R | Mmu.PTE_W | Mmu.PTE_A | Mmu.PTE_D;
        bus.write(root + 8, 8, (l1 >>> 12) << 10 | Mmu.PTE_V);
        bus.write(l1, 8, (l0 >>> 12) << 10 | Mmu.PTE_V);
        bus.write(l0, 8, (lo >>> 12) << 10 | leaf);
        bus.write(l0 + 8, 8, (hi >>> 12) << 10 | leaf);
        h.satp = (8L << 60) | (root >>> 12);
        h.setPriv(Csr.PRIV_S);
        bus.write(lo + 0xff8, 8, 0x0807_0605_0403_0201L);
        bus.write(hi, 8, 0x100f_0e0d_0c0b_0a09L);
        bus.write(lo + 0x1000, 8, -1L); // what lies after the first page in host memory
        for (long page : new long[]{va, va + 0x1000}) { // both pages in the load and store fast entries first
            h.interpreter.st8(page + 0x800, 0);
            h.interpreter.ld8(page);
            assertEquals(page >>> 12, fastTag(page));
            assertEquals(page >>> 12, storeFastTag(page));
        }
        assertEquals(0x0c0b_0a09_0807_0605L, h.interpreter.ld64(va + 0xffc));
        assertEquals(0x0a09_0807, h.interpreter.ld32(va + 0xffe));
        assertEquals(0x0908, h.interpreter.ld16(va + 0xfff));
        h.interpreter.st64(va + 0xffd, 0x7766_5544_3322_1100L);
        h.interpreter.st32(va + 0xffe, 0xbbaa_9988);
        assertEquals(0x9988_0005_0403_0201L, bus.read(lo + 0xff8, 8));
        assertEquals(0x100f_0e77_6655_bbaaL, bus.read(hi, 8));
        assertEquals(-1L, bus.read(lo + 0x1000, 8));
    }

    @Test
    void pagesOfOtherRegionsHitTheSecondPath(@TempDir Path dir) throws Exception {
        bus.addRam("extra", EXTRA, MemoryBacking.anonymous(4096));
        Path file = dir.resolve("window");
        Files.write(file, new byte[256 * 1024]); // larger than the 64 KiB of DRAM, but file-backed: never the primary
        bus.addRam("window", FILE, MemoryBacking.mappedFile(file, 0, 256 * 1024, false));
        h.interpreter.ld8(PAGE); // the primary is chosen at the first fill
        for (long va : new long[]{EXTRA + 0x100, FILE + 0x3100}) {
            h.interpreter.st64(va, 0x5a5a_0000_0000_0001L);
            h.interpreter.st64(va + 8, 0x5a5a_0000_0000_0002L); // a hit on the store TLB's full entry
            assertEquals(0x5a5a_0000_0000_0002L, bus.read(va + 8, 8));
            assertEquals(0x5a5a_0000_0000_0001L, h.interpreter.ld64(va));
            assertEquals(0x0000_0002_5a5a_0000L, h.interpreter.ld64(va + 4)); // hit, straddling the two stores
            assertEquals(va >>> 12, tag(va));
            assertEquals(-1, fastTag(va), "only the primary segment's pages are fast entries");
            assertEquals(-1, storeFastTag(va));
        }
        assertEquals(PAGE >>> 12, fastTag(PAGE), "DRAM is the primary segment");
    }

    @Test
    void withoutTheLeaseNothingEntersTheFastEntries() {
        h.mmu.leaveRam();
        bus.write(PAGE, 8, 5);
        assertEquals(5, h.interpreter.ld64(PAGE)); // through the Mmu: a debugger's read, say
        assertEquals(-1, fastTag(PAGE), "a raw address is handed out only inside the primary's lease");
        h.mmu.enterRam();
        assertEquals(0, h.interpreter.ld64(PAGE + 0x1000));
        assertEquals((PAGE >>> 12) + 1, fastTag(PAGE + 0x1000));
    }
}
