package io.drydock.pci;

/**
 * The host bridge's address windows on QEMU 7.2's riscv64 virt machine ({@code hw/riscv/virt.c}
 * virt_memmap and virt_high_pcie_memmap): ECAM, the I/O window, the 32-bit MMIO window (identity-mapped)
 * and the 64-bit one at ROUND_UP(0x80000000 + RAM, 16 GiB).
 */
public record PciWindows(long ecamBase, long ecamSize, long pioBase, long pioSize, long mmio32Base, long mmio32Size,
                         long mmio64Base, long mmio64Size) {
    public static final long GiB = 1L << 30;

    /** QEMU virt's windows for a machine with {@code ramBytes} of DRAM at 0x80000000. */
    public static PciWindows virt(long ramBytes) {
        long highSize = 16 * GiB;
        long highBase = (0x8000_0000L + ramBytes + highSize - 1) / highSize * highSize;
        return new PciWindows(0x3000_0000L, 0x1000_0000L, 0x300_0000L, 0x1_0000L, 0x4000_0000L, 0x4000_0000L,
                highBase, highSize);
    }

    /** Buses the ECAM window covers (1 MiB each). */
    public int buses() { return (int) (ecamSize >>> 20); }

    /** True when [base, base+size) lies wholly inside one MMIO window (where the CPU reaches PCI memory). */
    public boolean reachable(long base, long size) {
        return inside(base, size, mmio32Base, mmio32Size) || inside(base, size, mmio64Base, mmio64Size);
    }

    private static boolean inside(long base, long size, long wBase, long wSize) {
        return base >= wBase && size <= wSize && base - wBase <= wSize - size;
    }
}
