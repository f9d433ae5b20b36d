package io.drydock.kernel.memory;

import java.lang.foreign.MemorySegment;

/**
 * A range of guest-physical addresses backed by host memory: DRAM, or a DAX window. Created and placed by
 * the machine's memory map; its {@link #segment()} is for CPUs' and the memory map's fast paths only —
 * devices reach guest memory through {@link GuestMemory}, which checks every access.
 *
 * @param name    shown in summaries ("dram", "virtio-fs dax window")
 * @param base    first guest-physical address
 * @param backing the host memory; its size is the region's size
 */
public record RamRegion(String name, long base, MemoryBacking backing) {
    public RamRegion {
        if (base < 0) throw new IllegalArgumentException("negative base 0x" + Long.toHexString(base));
    }

    public long size() { return backing.size(); }

    /** One past the last address; never overflows for regions below 2^63. */
    public long end() { return base + size(); }

    public MemorySegment segment() { return backing.segment(); }

    /** True when [addr, addr+len) lies wholly inside this region (len ≥ 0, no overflow). */
    public boolean contains(long addr, long len) {
        return addr >= base && len >= 0 && addr - base <= size() - len;
    }

    public RamRegion movedTo(long newBase) { return new RamRegion(name, newBase, backing); }

    @Override public String toString() {
        return String.format("%-12s 0x%09x-0x%09x %s", name, base, end() - 1, backing.describe());
    }
}
