package io.drydock.kernel.bus;

import io.drydock.kernel.memory.RamRegion;

/** One entry of the address map: RAM (or another host-memory range such as a DAX window) or a device. */
public sealed interface BusRegion {
    String name();

    long base();

    long size();

    default long end() { return base() + size(); }

    default boolean contains(long addr, long len) {
        return addr >= base() && len >= 0 && addr - base() <= size() - len;
    }

    /** Host memory: the CPU reads and writes it directly. */
    record Ram(RamRegion region) implements BusRegion {
        public String name() { return region.name(); }
        public long base() { return region.base(); }
        public long size() { return region.size(); }
        @Override public String toString() { return region.toString(); }
    }

    /** A memory-mapped device; {@code counters} are its access counters in the metrics registry. */
    record Device(String name, long base, long size, BusDevice device, MmioCounters counters) implements BusRegion {
        @Override public String toString() {
            return String.format("%-12s 0x%09x-0x%09x %s", name, base, base + size - 1, device.getClass().getSimpleName());
        }
    }
}
