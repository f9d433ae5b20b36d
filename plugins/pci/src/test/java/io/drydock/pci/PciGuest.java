package io.drydock.pci;

import io.drydock.kernel.bus.SystemBus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A guest's PCI code, played by tests over the system bus as a bare-metal guest would run it: ECAM
 * reads and writes, enumeration, BAR sizing and assignment, the capability walk.
 */
final class PciGuest {
    static final long ECAM = 0x3000_0000L;

    final SystemBus bus;
    private long next32 = 0x4000_0000L, next64 = 0x4_0000_0000L;

    PciGuest(SystemBus bus) { this.bus = bus; }

    static long ecam(int b, int d, int f, int reg) { return ECAM + ((long) b << 20 | (long) d << 15 | (long) f << 12 | reg); }

    int read32(int d, int reg) { return (int) bus.read(ecam(0, d, 0, reg), 4); }

    int read16(int d, int reg) { return (int) bus.read(ecam(0, d, 0, reg), 2); }

    int read8(int d, int reg) { return (int) bus.read(ecam(0, d, 0, reg), 1); }

    void write32(int d, int reg, int v) { bus.write(ecam(0, d, 0, reg), 4, v); }

    void write16(int d, int reg, int v) { bus.write(ecam(0, d, 0, reg), 2, v); }

    void write8(int d, int reg, int v) { bus.write(ecam(0, d, 0, reg), 1, v); }

    /** Slots of bus 0 whose vendor id is not 0xffff. */
    List<Integer> enumerate() {
        List<Integer> found = new ArrayList<>();
        for (int d = 0; d < 32; d++) if ((read32(d, 0) & 0xffff) != 0xffff) found.add(d);
        return found;
    }

    /** A BAR as sizing found it. */
    record SizedBar(int index, long size, boolean is64, boolean prefetchable) {}

    /** Sizes every BAR by writing all ones (PCI 3.0 §6.2.5.1), restoring the old value. */
    List<SizedBar> sizeBars(int d) {
        List<SizedBar> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int reg = 0x10 + 4 * i;
            int old = read32(d, reg);
            write32(d, reg, -1);
            int lo = read32(d, reg);
            write32(d, reg, old);
            if (lo == 0) continue;
            boolean is64 = (lo & 6) == 4;
            long mask = lo & 0xffff_fff0L;
            if (is64) {
                int oldHi = read32(d, reg + 4);
                write32(d, reg + 4, -1);
                long hi = Integer.toUnsignedLong(read32(d, reg + 4));
                write32(d, reg + 4, oldHi);
                mask |= hi << 32;
            } else {
                mask |= 0xffff_ffff_0000_0000L;
            }
            out.add(new SizedBar(i, -mask, is64, (lo & 8) != 0));
            if (is64) i++;
        }
        return out;
    }

    /** Assigns every BAR (64-bit ones in the 64-bit window unless {@code low}), returns index → address. */
    Map<Integer, Long> assignBars(int d, boolean low) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (SizedBar b : sizeBars(d)) {
            long at;
            if (b.is64() && !low) {
                at = (next64 + b.size() - 1) & -b.size();
                next64 = at + b.size();
            } else {
                at = (next32 + b.size() - 1) & -b.size();
                next32 = at + b.size();
            }
            program(d, b.index(), at, b.is64());
            out.put(b.index(), at);
        }
        return out;
    }

    void program(int d, int bar, long at, boolean is64) {
        write32(d, 0x10 + 4 * bar, (int) at);
        if (is64) write32(d, 0x14 + 4 * bar, (int) (at >>> 32));
    }

    void enableMemory(int d) { write16(d, 0x04, read16(d, 0x04) | 0x6); }

    /** (offset, id) of each capability in list order. */
    List<int[]> capabilities(int d) {
        List<int[]> out = new ArrayList<>();
        if ((read16(d, 0x06) & 0x10) == 0) return out;
        int ptr = read8(d, 0x34);
        while (ptr != 0 && out.size() < 48) {
            out.add(new int[]{ptr, read8(d, ptr)});
            ptr = read8(d, ptr + 1);
        }
        return out;
    }

    /** A virtio_pci_cap as the guest reads it (virtio 1.2 §4.1.4). */
    record VirtioCap(int offset, int type, int bar, int id, long off, long length, int extra) {}

    List<VirtioCap> virtioCaps(int d) {
        List<VirtioCap> out = new ArrayList<>();
        for (int[] c : capabilities(d)) {
            if (c[1] != 0x09) continue;
            int at = c[0], len = read8(d, at + 2), type = read8(d, at + 3);
            long off = Integer.toUnsignedLong(read32(d, at + 8)), length = Integer.toUnsignedLong(read32(d, at + 12));
            if (type == 8) {
                off |= Integer.toUnsignedLong(read32(d, at + 16)) << 32;
                length |= Integer.toUnsignedLong(read32(d, at + 20)) << 32;
            }
            int extra = len >= 20 && type != 8 ? read32(d, at + 16) : 0;
            out.add(new VirtioCap(at, type, read8(d, at + 4), read8(d, at + 5), off, length, extra));
        }
        return out;
    }

    VirtioCap cap(int d, int type) {
        return virtioCaps(d).stream().filter(c -> c.type() == type).findFirst().orElseThrow();
    }
}
