package io.drydock.pci;

import io.drydock.kernel.fdt.DeviceTreeContributor;
import io.drydock.kernel.fdt.FdtBuilder;
import io.drydock.kernel.irq.InterruptController;
import io.drydock.kernel.machine.MachineAssembly;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.virtio.SharedMemoryRegion;
import io.drydock.kernel.virtio.VirtioCore;
import io.drydock.kernel.virtio.VirtioDevice;
import io.drydock.kernel.virtio.VirtioSnapshot;
import io.drydock.kernel.virtio.VirtioTransport;
import io.drydock.kernel.virtio.VirtioTransportFactory;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * QEMU virt's eight virtio-mmio slots (hw/riscv/virt.c: VIRT_VIRTIO at 0x10001000 + 0x1000·n, PLIC source
 * 1 + n), all mapped so empty ones read as QEMU's do, each with its device-tree node
 * {@code /soc/virtio_mmio@1000n000} (compatible "virtio,mmio"). As the factory of kind "mmio" it fills the
 * highest free slot first, as QEMU does with {@code -device virtio-*-device}. Shared memory regions (no
 * PCI BAR here) are placed from {@code shmBase} upwards, naturally aligned, once at attach.
 */
final class VirtioMmioBus implements VirtioTransportFactory, DeviceTreeContributor {
    static final long BASE = 0x1000_1000L, STRIDE = 0x1000;
    static final int SLOTS = 8, FIRST_SOURCE = 1;

    private final MachineAssembly assembly;
    private final InterruptController controller;
    private final VirtioMmioSlot[] slots = new VirtioMmioSlot[SLOTS];
    private long nextShm;

    VirtioMmioBus(MachineAssembly assembly, long shmBase) {
        this.assembly = assembly;
        this.controller = assembly.services().require(InterruptController.class, "virtioMmio");
        this.nextShm = shmBase;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new VirtioMmioSlot(i);
            assembly.memoryMap().addDevice("virtio-mmio" + i, address(i), STRIDE, slots[i]);
        }
        assembly.onReset(() -> { for (VirtioMmioSlot s : slots) s.reset(); });
    }

    static long address(int slot) { return BASE + STRIDE * slot; }

    @Override public String kind() { return "mmio"; }

    @Override public synchronized VirtioTransport attach(VirtioDevice device, OptionalInt position) {
        int slot;
        if (position.isPresent()) {
            slot = position.getAsInt();
            if (slot < 0 || slot >= SLOTS) throw new MachineException("virtio-mmio: slot " + slot + " is not 0..7");
            if (slots[slot].core() != null) throw new MachineException("virtio-mmio: slot " + slot + " is taken");
        } else {
            slot = SLOTS - 1;
            while (slot >= 0 && slots[slot].core() != null) slot--;
            if (slot < 0) throw new MachineException("virtio-mmio: all 8 slots are taken");
        }
        String name = VirtioNames.of(assembly.services()).claim(device.name());
        VirtioCore core = new VirtioCore(device, name, assembly.memory(), controller.line(FIRST_SOURCE + slot),
                assembly.metrics(), assembly.control());
        List<SharedMemoryRegion> regions = device.sharedMemoryRegions();
        long[] bases = new long[regions.size()];
        for (int i = 0; i < regions.size(); i++) {
            long size = regions.get(i).size();
            bases[i] = (nextShm + size - 1) & -size;
            nextShm = bases[i] + size;
        }
        slots[slot].attach(core, regions, bases);
        for (int i = 0; i < regions.size(); i++) device.sharedMemoryPlaced(regions.get(i).id(), OptionalLong.of(bases[i]));
        Transport t = new Transport(slot, core);
        assembly.services().add(VirtioTransport.class, t);
        return t;
    }

    @Override public void contribute(FdtBuilder fdt, int plic) {
        FdtBuilder.Node soc = fdt.root().child("soc");
        for (int i = 0; i < SLOTS; i++) {
            FdtBuilder.Node n = soc.child(String.format("virtio_mmio@%x", address(i)));
            n.prop("interrupts", FIRST_SOURCE + i);
            n.prop("interrupt-parent", plic);
            n.propLongs("reg", address(i), STRIDE);
            n.prop("compatible", "virtio,mmio");
        }
    }

    /** A device in a virtio-mmio slot. */
    record Transport(int slot, VirtioCore core) implements VirtioTransport {
        @Override public String kind() { return "mmio"; }

        @Override public String location() { return String.format("0x%x irq %d", address(slot), FIRST_SOURCE + slot); }

        @Override public VirtioSnapshot inspect() { return core.snapshot(); }

        @Override public String toString() { return "virtio-mmio " + location() + ": " + core; }
    }
}
