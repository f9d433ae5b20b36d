package io.drydock.kernel.virtio;

/**
 * A virtio device attached to a transport (virtio-pci modern or virtio-mmio). Returned by
 * {@link VirtioTransportFactory#attach}; its {@code toString()} is a one-line summary.
 */
public interface VirtioTransport {
    /** "pci" or "mmio". */
    String kind();

    /** Where the guest finds it: "00:01.0" or "0x10008000 irq 8". */
    String location();

    /** The device's state now: status, negotiated features, each queue, counters. */
    VirtioSnapshot inspect();
}
