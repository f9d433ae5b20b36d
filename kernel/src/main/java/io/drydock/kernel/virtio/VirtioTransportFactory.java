package io.drydock.kernel.virtio;

import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.Services;

import java.util.OptionalInt;

/**
 * Attaches virtio devices to a transport. The PCI plugin's {@code pci} word offers kind "pci" and its
 * {@code virtioMmio} word kind "mmio" as machine services (phase BUS), so a device plugin's word (phase
 * DEVICE) takes {@code transport: 'pci'|'mmio'} and attaches through this interface without depending on
 * the PCI plugin's classes:
 *
 * <pre>{@code
 * VirtioTransportFactory t = VirtioTransportFactory.require(assembly.services(), "pci", "virtioFs");
 * t.attach(new VirtioFsDevice(...), OptionalInt.empty());
 * }</pre>
 *
 * <p>Called on the assembling thread. The transport registers the device's reset with the machine, its
 * metrics, and its device-tree node where the transport needs one.
 */
public interface VirtioTransportFactory {
    /** "pci" or "mmio". */
    String kind();

    /**
     * Attaches {@code device}.
     *
     * @param position the PCI slot (device number 1–31) or the virtio-mmio slot (0–7); empty for the next
     *                 free one (PCI: lowest free slot, from 1, as QEMU; MMIO: highest free slot, as QEMU)
     * @throws MachineException when the position is taken or none is free
     */
    VirtioTransport attach(VirtioDevice device, OptionalInt position);

    /**
     * The factory of {@code kind} among the machine's services.
     *
     * @param who the asking word, for the error message
     * @throws MachineException naming the word that provides it when none does
     */
    static VirtioTransportFactory require(Services services, String kind, String who) {
        for (VirtioTransportFactory f : services.all(VirtioTransportFactory.class)) {
            if (f.kind().equals(kind)) return f;
        }
        String word = kind.equals("mmio") ? "virtioMmio" : kind;
        throw new MachineException(who + " wants the virtio " + kind + " transport: add '" + word
                + "' to the machine before it (e.g. machine { riscv; " + word + "; ... })");
    }
}
