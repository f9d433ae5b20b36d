package io.drydock.kernel.virtio;

/**
 * One guest error on a queue: which queue, what kind, and the offending values.
 *
 * @param queue  the queue index, or {@link #DEVICE} for a device-wide error
 * @param error  the kind
 * @param detail the values ("head 7, next 300 ≥ 256")
 */
public record VirtqueueFault(int queue, VirtqueueError error, String detail) {
    /** The queue number of a device-wide fault. */
    public static final int DEVICE = -1;

    @Override public String toString() {
        return (queue == DEVICE ? "device" : "queue " + queue) + ": " + error.description() + " (" + error.name() + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }
}
