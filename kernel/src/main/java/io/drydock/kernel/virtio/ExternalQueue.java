package io.drydock.kernel.virtio;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;

/**
 * A split virtqueue whose driver side lives in another process: a vhost-user backend serves the rings of a
 * frontend (QEMU) in the guest RAM the frontend shared with it. The same {@link Virtqueue} as in-process
 * devices use — one chain parser, one used-ring and notification-suppression code — with interrupts and
 * faults going where the embedder says (an eventfd write; a logged fault that stops the ring) instead of
 * through a {@link VirtioCore}.
 *
 * <p>Created by the backend's connection thread when a ring starts; stopped by it ({@link #stop}) before it
 * answers GET_VRING_BASE or unmaps the memory the ring lives in.
 */
public final class ExternalQueue {
    /** Where an external queue's signals go. Called on the queue's worker thread. */
    public interface Signals {
        /** The driver wants a used-buffer notification for this queue (vhost-user: write the call eventfd). */
        void interrupt(int queue);

        /** A guest error stopped the queue; already counted. */
        void fault(VirtqueueFault fault);
    }

    private final Virtqueue queue;

    private ExternalQueue(Virtqueue queue) { this.queue = queue; }

    /**
     * Starts serving a ring at {@code layout} (guest-physical addresses) from avail slot {@code nextAvail}.
     * The used ring's idx is taken from guest memory, as the frontend left it.
     *
     * @throws VirtqueueException with the fault when the layout is unusable (size, alignment, not in RAM)
     */
    public static ExternalQueue start(int index, SplitQueueLayout layout, int maxSize, GuestMemory memory, long features,
                                      int nextAvail, Signals signals, QueueMetrics metrics) {
        VirtqueueFault bad = layout.check(index, maxSize, memory);
        if (bad != null) throw new VirtqueueException(bad);
        Virtqueue.Host host = new Virtqueue.Host() {
            @Override public void usedBufferInterrupt(Virtqueue q) { signals.interrupt(q.index()); }

            @Override public VirtqueueException fault(VirtqueueFault fault) {
                signals.fault(fault);
                return new VirtqueueException(fault);
            }
        };
        Virtqueue q = new Virtqueue(index, layout, memory, features, host, metrics);
        int used;
        try {
            used = memory.read16(layout.used() + 2);
        } catch (GuestMemoryException e) {
            throw new VirtqueueException(new VirtqueueFault(index, VirtqueueError.RING_OUT_OF_RAM, e.getMessage()));
        }
        q.resumeAt(nextAvail, used);
        return new ExternalQueue(q);
    }

    public Virtqueue queue() { return queue; }

    /** The avail slot to resume from (GET_VRING_BASE's answer). */
    public int nextAvail() { return queue.nextAvail(); }

    /** Stops the queue: later pops return null and completions are dropped. */
    public void stop() { queue.kill(); }

    /** A device-side error on this queue (a reply into memory that is not RAM): reported like a ring fault. */
    public VirtqueueException deviceError(String reason) {
        return queue.fail(VirtqueueError.DEVICE_ERROR, reason);
    }
}
