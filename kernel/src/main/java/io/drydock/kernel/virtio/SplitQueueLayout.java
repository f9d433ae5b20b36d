package io.drydock.kernel.virtio;

import io.drydock.kernel.memory.GuestMemory;

/**
 * Where the driver put one split virtqueue (virtio 1.2 §2.7, table "Virtqueue Part Alignment and Size"):
 * the descriptor table (16·N bytes, 16-aligned), the available ring (6 + 2·N, 2-aligned) and the used ring
 * (6 + 8·N, 4-aligned), N a power of two. {@link #check} is the one place these guest-supplied addresses
 * and the size are validated, when the driver sets DRIVER_OK.
 */
public record SplitQueueLayout(int size, long desc, long avail, long used) {
    /** The largest split queue size (virtio 1.2 §2.7: "Queue Size ... maximum 32768"). */
    public static final int MAX_SIZE = 32768;

    public long descBytes() { return 16L * size; }

    public long availBytes() { return 6L + 2L * size; }

    public long usedBytes() { return 6L + 8L * size; }

    /** Null when the layout is usable in {@code memory} with at most {@code maxSize} entries; else the error. */
    VirtqueueFault check(int queue, int maxSize, GuestMemory memory) {
        if (size <= 0 || size > maxSize || Integer.bitCount(size) != 1) {
            return new VirtqueueFault(queue, VirtqueueError.QUEUE_SIZE_INVALID, "size " + size + ", maximum " + maxSize);
        }
        if ((desc & 15) != 0 || (avail & 1) != 0 || (used & 3) != 0) {
            return new VirtqueueFault(queue, VirtqueueError.RING_MISALIGNED,
                    String.format("desc 0x%x avail 0x%x used 0x%x", desc, avail, used));
        }
        if (!memory.isRam(desc, descBytes())) return outside(queue, "descriptor table", desc, descBytes());
        if (!memory.isRam(avail, availBytes())) return outside(queue, "available ring", avail, availBytes());
        if (!memory.isRam(used, usedBytes())) return outside(queue, "used ring", used, usedBytes());
        return null;
    }

    private static VirtqueueFault outside(int queue, String what, long addr, long len) {
        return new VirtqueueFault(queue, VirtqueueError.RING_OUT_OF_RAM, String.format("%s 0x%x+%d", what, addr, len));
    }
}
