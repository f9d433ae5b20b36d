package io.drydock.virtiofs.fuse.dax;

import java.util.OptionalLong;

/**
 * A DAX window as the virtio-fs device owns it: shared memory region 0 (virtio 1.2 §5.11.5) of a fixed
 * size, placed in the guest-physical address space where the transport puts its BAR, with the
 * {@link DaxWindow} the FUSE server maps through. Created by a {@link DaxWindowFactory} (plugin-dax) when the
 * machine is assembled; the device calls {@link #place} from {@code sharedMemoryPlaced}, {@link #removeAll}
 * at device reset and {@link #close} at machine shutdown. Thread-safe.
 */
public interface DaxRegion extends AutoCloseable {
    /** Bytes; a power of two ≥ 4 KiB (a PCI BAR holds it exactly). */
    long size();

    /** The hook for SETUPMAPPING/REMOVEMAPPING. */
    DaxWindow window();

    /** The window now lives at {@code guestBase}, or nowhere (empty); its mappings survive moves. */
    void place(OptionalLong guestBase);

    /** Unmaps every mapping (device reset: a new driver starts with an empty window). */
    void removeAll();

    /** Unmaps the window and frees its memory. Idempotent. */
    @Override void close();
}
