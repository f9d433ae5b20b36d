package io.drydock.pci;

import io.drydock.kernel.bus.SystemBus;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.testing.TestBoard;
import io.drydock.kernel.virtio.VirtioFeatures;
import io.drydock.pci.rng.VirtioRngWord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drydock against QEMU before the CPU plugin exists: replays guest/pcienum.c step by step (the same
 * accesses, the same printing) over a Drydock machine with {@code pci} and {@code virtioRng}, and compares
 * the text with guest/pcienum.expected, recorded from QEMU 7.2 with
 * {@code -device virtio-rng-pci,disable-legacy=on,vectors=0}. The one difference on purpose: QEMU 7.2
 * offers VIRTIO_F_RING_RESET (bit 40), which Drydock does not implement. Once the RISC-V hart lands, the
 * ELF itself runs on both and this replay becomes a cross-check of the C source.
 */
class PcienumReplayTest {
    private final StringBuilder out = new StringBuilder();
    private SystemBus bus;
    private TestBoard board;
    private long next32 = 0x4000_0000L, next64 = 0x4_0000_0000L;
    private final long[][] barAddr = new long[32][6];

    private long cfg(int dev, int reg) { return 0x3000_0000L + ((long) dev << 15) + reg; }
    private int r8(long a) { return (int) bus.read(a, 1); }
    private int r16(long a) { return (int) bus.read(a, 2); }
    private long r32(long a) { return bus.read(a, 4); }
    private void w8(long a, int v) { bus.write(a, 1, v); }
    private void w16(long a, int v) { bus.write(a, 2, v); }
    private void w32(long a, long v) { bus.write(a, 4, v); }
    private void p(String fmt, Object... args) { out.append(String.format(fmt, args)); }

    @Test void drydockPrintsWhatQemuPrinted() throws IOException {
        board = new TestBoard();
        try (Machine m = new MachineSpec().memory(128L << 20).add(board).add(new PciPart(false, false))
                .add(new VirtioRngWord().create(new Options("virtioRng", Map.of("seed", 1)), List.of())).build()) {
            bus = m.bus();
            run();
        }
        List<String> expected = Files.readAllLines(Path.of("guest/pcienum.expected"));
        List<String> actual = out.toString().lines().toList();
        String qemuFeatures = "  virtio device features 0x" + String.format("%016x",
                VirtioFeatures.RING_DEFAULT | VirtioFeatures.bit(VirtioFeatures.RING_RESET));
        String ours = "  virtio device features 0x" + String.format("%016x", VirtioFeatures.RING_DEFAULT);
        List<String> expectedHere = expected.stream().map(l -> l.equals(qemuFeatures) ? ours : l).toList();
        assertEquals(String.join("\n", expectedHere), String.join("\n", actual));
    }

    /** main() of pcienum.c. */
    private void run() {
        p("pcienum: ECAM 0x30000000%n");
        boolean driven = false;
        for (int dev = 0; dev < 32; dev++) {
            long id = r32(cfg(dev, 0));
            if ((id & 0xffff) == 0xffff) continue;
            long cls = r32(cfg(dev, 0x08));
            p("00:%02x.0 %04x:%04x rev %02x class %06x hdr %02x sub %04x:%04x pin %d status 0x%04x%n", dev, id & 0xffff,
                    id >>> 16, cls & 0xff, cls >>> 8, r8(cfg(dev, 0x0e)), r16(cfg(dev, 0x2c)), r16(cfg(dev, 0x2e)),
                    r8(cfg(dev, 0x3d)), r16(cfg(dev, 0x06)));
            p("  fn1 %08x ext %08x%n", r32(cfg(dev, 0x1000)), r32(cfg(dev, 0x100)));
            bars(dev);
            w16(cfg(dev, 0x04), r16(cfg(dev, 0x04)) | 0x6);
            long[] v = caps(dev);
            if (id == 0x1044_1af4L && !driven && v[0] != 0) {
                driven = true;
                driveRng(dev, v);
            }
        }
        p("pcienum: done%n");
    }

    private void bars(int dev) {
        for (int i = 0; i < 6; i++) {
            long reg = cfg(dev, 0x10 + 4 * i);
            long old = r32(reg);
            w32(reg, 0xffff_ffffL);
            long lo = r32(reg);
            w32(reg, old);
            if (lo == 0) continue;
            if ((lo & 1) != 0) { p("  BAR%d io (not assigned)%n", i); continue; }
            boolean is64 = (lo & 6) == 4;
            long mask = lo & ~0xfL;
            if (is64) {
                long oldHi = r32(reg + 4);
                w32(reg + 4, 0xffff_ffffL);
                mask |= r32(reg + 4) << 32;
                w32(reg + 4, oldHi);
            } else {
                mask |= 0xffff_ffff_0000_0000L;
            }
            long size = ~mask + 1;
            long at;
            if (is64) { at = (next64 + size - 1) & ~(size - 1); next64 = at + size; }
            else { at = (next32 + size - 1) & ~(size - 1); next32 = at + size; }
            w32(reg, at & 0xffff_ffffL);
            if (is64) w32(reg + 4, at >>> 32);
            barAddr[dev][i] = at;
            p("  BAR%d mem %s %s size 0x%08x at 0x%09x%n", i, is64 ? "64-bit" : "32-bit",
                    (lo & 8) != 0 ? "prefetchable" : "non-prefetchable", size, at);
            if (is64) i++;
        }
    }

    /** {common, notify, isr, device, multiplier}. */
    private long[] caps(int dev) {
        long[] v = new long[5];
        if ((r16(cfg(dev, 0x06)) & 0x10) == 0) return v;
        int ptr = r8(cfg(dev, 0x34)), guard = 0;
        String[] names = {"other", "common", "notify", "isr", "device", "pci_cfg", "other", "other", "shared_memory"};
        while (ptr != 0 && guard++ < 48) {
            int id = r8(cfg(dev, ptr));
            p("  cap 0x%02x id 0x%02x", ptr, id);
            if (id == 0x09) {
                int len = r8(cfg(dev, ptr + 2)), type = r8(cfg(dev, ptr + 3)), bar = r8(cfg(dev, ptr + 4));
                long off = r32(cfg(dev, ptr + 8)), length = r32(cfg(dev, ptr + 12));
                if (type == 8) { off |= r32(cfg(dev, ptr + 16)) << 32; length |= r32(cfg(dev, ptr + 20)) << 32; }
                p(" virtio %s len %d bar %d id %d offset 0x%08x length 0x%08x", type < names.length ? names[type] : "other",
                        len, bar, r8(cfg(dev, ptr + 5)), off, length);
                long base = bar < 6 ? barAddr[dev][bar] + off : 0;
                switch (type) {
                    case 1 -> v[0] = base;
                    case 3 -> v[2] = base;
                    case 4 -> v[3] = base;
                    case 2 -> {
                        v[1] = base;
                        v[4] = r32(cfg(dev, ptr + 16));
                        p(" multiplier %d", v[4]);
                    }
                    default -> { }
                }
            } else if (id == 0x10) {
                p(" express flags 0x%04x", r16(cfg(dev, ptr + 2)));
            }
            p("%n");
            ptr = r8(cfg(dev, ptr + 1));
        }
        return v;
    }

    private void driveRng(int dev, long[] v) {
        long c = v[0];
        w8(c + 0x14, 0);
        w8(c + 0x14, 1);
        w8(c + 0x14, 3);
        w32(c, 0);
        long f0 = r32(c + 4);
        w32(c, 1);
        long f1 = r32(c + 4);
        p("  virtio device features 0x%016x%n", f1 << 32 | f0);
        p("  num_queues %d%n", r16(c + 0x12));
        w32(c + 8, 0); w32(c + 0xc, 0);
        w32(c + 8, 1); w32(c + 0xc, 1);
        w8(c + 0x14, 0x0b);
        int st = r8(c + 0x14);
        p("  status after FEATURES_OK 0x%02x%n", st);
        w16(c + 0x16, 0);
        int max = r16(c + 0x18);
        p("  queue 0 max size %d%n", max);
        int n = Math.min(max, 8);
        long ram = 0x8010_0000L, desc = ram, avail = ram + 0x1000, used = ram + 0x2000, data = ram + 0x3000;
        w16(c + 0x18, n);
        w32(c + 0x20, desc); w32(c + 0x24, 0);
        w32(c + 0x28, avail); w32(c + 0x2c, 0);
        w32(c + 0x30, used); w32(c + 0x34, 0);
        int noff = r16(c + 0x1e);
        w16(c + 0x1c, 1);
        w8(c + 0x14, 0x0f);
        p("  status after DRIVER_OK 0x%02x%n", r8(c + 0x14));
        bus.write(desc, 8, data);
        w32(desc + 8, 16); w16(desc + 12, 2); w16(desc + 14, 0);
        w16(avail + 4, 0);
        w16(avail + 2, 1);
        w16(v[1] + noff * v[4], 0);
        p("  used id %d len %d%n", r32(used + 4), r32(used + 8));
        int pin = r8(cfg(dev, 0x3d));
        int irq = 32 + (pin - 1 + dev) % 4;
        // the PLIC's pending bit follows the level of its source (QEMU sifive_plic; Drydock's Plic)
        p("  INTx pin %c -> PLIC %d pending %d, status.INTx %d%n", (char) ('A' + pin - 1), irq,
                board.interrupts().test(irq).level() ? 1 : 0, (r16(cfg(dev, 0x06)) >> 3) & 1);
        int isr1 = r8(v[2]), isr2 = r8(v[2]);
        p("  isr 0x%02x then 0x%02x, status.INTx %d%n", isr1, isr2, (r16(cfg(dev, 0x06)) >> 3) & 1);
        w8(c + 0x14, 0);
        p("  status after reset 0x%02x%n", r8(c + 0x14));
    }
}
