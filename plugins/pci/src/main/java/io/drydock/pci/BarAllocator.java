package io.drydock.pci;

import java.util.ArrayList;
import java.util.List;

/**
 * Firmware-style BAR assignment for guests that expect it (the {@code preassign: true} option): every
 * BAR naturally aligned, largest first; 64-bit BARs from the 64-bit window, 32-bit BARs from the 32-bit
 * window; memory decoding and bus mastering then enabled. QEMU with {@code -bios none} assigns nothing.
 */
final class BarAllocator {
    private final PciWindows windows;

    BarAllocator(PciWindows windows) { this.windows = windows; }

    private record Request(PciFunction function, Bar bar) {}

    void assign(List<PciFunction> functions) {
        List<Request> all = new ArrayList<>();
        for (PciFunction f : functions) for (Bar b : f.bars()) all.add(new Request(f, b));
        all.sort((a, b) -> Long.compare(b.bar().size(), a.bar().size())); // largest first; a lambda the AOT cache can hold
        long next32 = windows.mmio32Base(), next64 = windows.mmio64Base();
        for (Request r : all) {
            Bar b = r.bar();
            if (b.is64()) {
                long at = align(next64, b.size());
                if (at + b.size() > windows.mmio64Base() + windows.mmio64Size()) throw full(r);
                r.function().setBarAddress(b, at);
                next64 = at + b.size();
            } else {
                long at = align(next32, b.size());
                if (at + b.size() > windows.mmio32Base() + windows.mmio32Size()) throw full(r);
                r.function().setBarAddress(b, at);
                next32 = at + b.size();
            }
        }
        for (PciFunction f : functions) {
            if (!f.bars().isEmpty()) f.setCommandBits(ConfigSpace.CMD_MEMORY | ConfigSpace.CMD_MASTER);
        }
    }

    private static long align(long v, long a) { return (v + a - 1) & -a; }

    private static IllegalStateException full(Request r) {
        return new IllegalStateException("pci preassign: no room for " + r.function().name() + " BAR " + r.bar().index()
                + " (" + r.bar().size() + " bytes)");
    }
}
