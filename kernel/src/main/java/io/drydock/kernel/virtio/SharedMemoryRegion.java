package io.drydock.kernel.virtio;

/**
 * A virtio shared memory region (virtio 1.2 §2.10), e.g. virtio-fs's DAX window (id 0). The transport
 * makes room for it in the guest-physical address space (a 64-bit prefetchable PCI BAR, or a fixed window
 * for virtio-mmio) and tells the device where it is through {@link VirtioDevice#sharedMemoryPlaced}; the
 * device (or its DAX plugin) maps host memory there through the machine's {@code MemoryMap}.
 *
 * @param id   the shmid, unique per device (virtio 1.2 §4.1.4.7: {@code cap.id})
 * @param size bytes, a power of two ≥ 4 KiB (so a PCI BAR can hold it exactly)
 * @param name for summaries ("dax window")
 */
public record SharedMemoryRegion(int id, long size, String name) {
    public SharedMemoryRegion {
        if (id < 0 || id > 255) throw new IllegalArgumentException("shared memory id must be 0..255, was " + id);
        if (size < 4096 || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("shared memory region " + id + ": size must be a power of two ≥ 4 KiB, was " + size);
        }
    }
}
