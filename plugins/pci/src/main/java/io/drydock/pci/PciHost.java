package io.drydock.pci;

import io.drydock.kernel.bus.BusDevice;
import io.drydock.kernel.bus.MemoryMap;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.machine.MachineException;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The PCIe host bridge of QEMU's virt machine (GPEX): one root bus behind an ECAM window (PCIe Base §7.2.2:
 * address = base + (bus<<20 | device<<15 | function<<12 | register)), the host bridge function at 00:00.0,
 * devices plugged into slots 1–31 (function 0 each), BARs mapped through {@link BarMapper}, INTx through
 * {@link IntxRouter}. Absent functions read all ones and ignore writes; registers past a conventional
 * function's 256 bytes read all ones too (QEMU pcie_mmcfg_data_read).
 *
 * <p>Offered as a machine service; its {@code toString()} is the lspci tree. ECAM accesses arrive on hart
 * threads and are serialised here.
 */
public final class PciHost implements BusDevice {
    private final PciWindows windows;
    private final IntxRouter router;
    private final BarMapper bars;
    private final PciFunction[] slots = new PciFunction[32];

    public PciHost(PciWindows windows, MemoryMap map, InterruptController controller) {
        this.windows = windows;
        this.router = new IntxRouter(controller);
        this.bars = new BarMapper(map, windows);
        plug(new HostBridge(), OptionalInt.of(0));
    }

    public PciWindows windows() { return windows; }

    /**
     * Plugs {@code function} into {@code slot} (device number), or the lowest free slot from 1 as QEMU
     * assigns them.
     *
     * @throws MachineException when the slot is taken or the bus is full
     */
    public synchronized PciAddress plug(PciFunction function, OptionalInt slot) {
        int s;
        if (slot.isPresent()) {
            s = slot.getAsInt();
            if (s < 0 || s > 31) throw new MachineException("pci: slot " + s + " is not 0..31");
            if (slots[s] != null) throw new MachineException("pci: slot " + s + " is taken by " + slots[s].name());
        } else {
            s = 1;
            while (s < 32 && slots[s] != null) s++;
            if (s == 32) throw new MachineException("pci: all 31 slots are taken");
        }
        PciAddress address = new PciAddress(0, s, 0);
        slots[s] = function;
        function.plug(address, router);
        return address;
    }

    /** Every function, by address. */
    public synchronized List<PciFunction> functions() {
        List<PciFunction> out = new ArrayList<>();
        for (PciFunction f : slots) if (f != null) out.add(f);
        return out;
    }

    // ---- ECAM (a BusDevice at windows.ecamBase) ----

    @Override public long read(long offset, int size) {
        if (size == 8) return read(offset, 4) & 0xffff_ffffL | read(offset + 4, 4) << 32;
        return Integer.toUnsignedLong(configRead(offset, size)) & mask(size);
    }

    @Override public void write(long offset, int size, long value) {
        if (size == 8) {
            write(offset, 4, value);
            write(offset + 4, 4, value >>> 32);
            return;
        }
        configWrite(offset, size, (int) value);
    }

    private static long mask(int size) { return size == 4 ? 0xffff_ffffL : (1L << (8 * size)) - 1; }

    /** The function an ECAM offset selects, or null (other buses, other functions, empty slots). */
    private PciFunction select(long offset) {
        int bus = (int) (offset >>> 20) & 0xff, dev = (int) (offset >>> 15) & 0x1f, fn = (int) (offset >>> 12) & 7;
        return bus == 0 && fn == 0 ? slots[dev] : null;
    }

    /** The one check of a configuration access: inside the function's space and not across its end. */
    private static boolean inside(PciFunction f, int reg, int size) { return reg + size <= f.config.size(); }

    synchronized int configRead(long offset, int size) {
        PciFunction f = select(offset);
        int reg = (int) (offset & 0xfff);
        if (f == null || !inside(f, reg, size)) return -1;
        return f.configRead(reg, size);
    }

    synchronized void configWrite(long offset, int size, int value) {
        PciFunction f = select(offset);
        int reg = (int) (offset & 0xfff);
        if (f == null || !inside(f, reg, size)) return;
        f.configWrite(reg, size, value);
        if (PciFunction.affectsBars(reg, size)) bars.reconcile(functions());
    }

    // ---- reset and preassignment ----

    /** Machine reset: unmap every BAR, return every function (and its device) to power-on. */
    public synchronized void reset() {
        bars.clear();
        for (PciFunction f : functions()) f.reset();
    }

    /**
     * Assigns every BAR as firmware would (largest first; 64-bit BARs in the 64-bit window, 32-bit ones in
     * the 32-bit window), enables memory decoding and bus mastering, and maps them.
     */
    public synchronized void preassign() {
        new BarAllocator(windows).assign(functions());
        bars.reconcile(functions());
    }

    long mappedBase(PciFunction f, int bar) { return bars.mappedBase(f, bar); }

    String barConflict(PciFunction f, int bar) { return bars.conflict(f, bar); }

    /** The lspci -vv style tree. */
    @Override public synchronized String toString() { return Lspci.tree(this); }
}
