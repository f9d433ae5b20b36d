package io.drydock.pci;

import io.drydock.kernel.bus.BusDevice;

import java.util.OptionalLong;

/**
 * A memory BAR of a type-0 function (PCI 3.0 §6.2.5.1): its index, size (a power of two ≥ 16), 32- or
 * 64-bit decoding (a 64-bit BAR also takes index+1), prefetchable flag, and what answers inside it.
 * I/O BARs are not modelled (virtio modern needs none).
 */
public record Bar(int index, long size, boolean is64, boolean prefetchable, Target target) {
    public Bar {
        if (index < 0 || index > 5 || (is64 && index > 4)) throw new IllegalArgumentException("bad BAR index " + index);
        if (size < 16 || Long.bitCount(size) != 1) throw new IllegalArgumentException("BAR size must be a power of two ≥ 16, was " + size);
        if (!is64 && size > 1L << 31) throw new IllegalArgumentException("a 32-bit BAR holds at most 2 GiB, was " + size);
    }

    /** What a BAR maps. */
    public sealed interface Target {
        /** Registers: the host maps {@code device} on the system bus at the BAR's address. */
        record Registers(BusDevice device) implements Target {}

        /**
         * A window whose owner maps memory itself (a virtio shared memory region such as a DAX window): the
         * host only reports where the BAR is, or that it is gone. Called under the host's lock, on the
         * thread whose configuration write moved it.
         */
        record Window(Placement placement) implements Target {}
    }

    @FunctionalInterface
    public interface Placement {
        void placed(OptionalLong guestBase);
    }

    /** The read-only low bits of the BAR register (§6.2.5.1): memory space, type, prefetchable. */
    int flags() { return (is64 ? 0x4 : 0) | (prefetchable ? 0x8 : 0); }

    /** "64-bit, prefetchable" as lspci prints it. */
    String kind() { return (is64 ? "64-bit" : "32-bit") + ", " + (prefetchable ? "prefetchable" : "non-prefetchable"); }
}
