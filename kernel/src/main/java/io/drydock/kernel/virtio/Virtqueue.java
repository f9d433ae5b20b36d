package io.drydock.kernel.virtio;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;

import java.lang.invoke.VarHandle;

/**
 * The device side of one active split virtqueue (virtio 1.2 §2.7): pops descriptor chains the driver made
 * available, publishes used buffers, and decides whether the driver wants an interrupt (§2.7.7,
 * {@code VIRTIO_F_EVENT_IDX}) and whether the device wants notifications (§2.7.10).
 *
 * <p>Created by the core at DRIVER_OK with a validated {@link SplitQueueLayout}; dead after a device reset
 * (pops return null, completions are dropped). Guest errors never throw out of {@link #pop()}: they put the
 * device into NEEDS_RESET (see {@link VirtqueueError}) and the queue stops. Thread-safe: methods
 * synchronise on the queue, so a hart thread and a request worker may share it; chains can be completed out
 * of order.
 */
public final class Virtqueue {
    private static final int AVAIL_F_NO_INTERRUPT = 1; // virtio 1.2 §2.7.6
    private static final int USED_F_NO_NOTIFY = 1;     // virtio 1.2 §2.7.8

    /** What the queue needs from its device's core; package-private so devices cannot forge interrupts. */
    interface Host {
        /** Raise the used-buffer interrupt for {@code queue} (ISR bit 0). */
        void usedBufferInterrupt(Virtqueue queue);

        /** Enter NEEDS_RESET for {@code fault}; returns the exception to unwind with. */
        VirtqueueException fault(VirtqueueFault fault);
    }

    /** Handles one chain in {@link #drain}; returns the used length (bytes written). */
    @FunctionalInterface
    public interface ChainHandler {
        long handle(DescriptorChain chain);
    }

    private final int index;
    private final SplitQueueLayout layout;
    private final GuestMemory memory;
    private final boolean eventIdx;
    private final Host host;
    private final QueueMetrics metrics;
    private final ChainParser parser;
    private final int mask;

    private volatile boolean alive = true;
    private volatile boolean broken;
    private int lastAvail;          // next available-ring slot to read (u16)
    private int usedIdx;            // our used->idx (u16)
    private int signalledUsed;      // used idx at the last interrupt decision
    private boolean signalledValid; // false until the first decision (QEMU: signalled_used_valid)
    private boolean notifications = true;
    private int inFlight;
    private int lastSeenAvail;      // the driver's avail->idx as last read

    Virtqueue(int index, SplitQueueLayout layout, GuestMemory memory, long features, Host host, QueueMetrics metrics) {
        this.index = index;
        this.layout = layout;
        this.memory = memory;
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.EVENT_IDX);
        this.host = host;
        this.metrics = metrics;
        this.parser = new ChainParser(memory, layout.desc(), layout.size(),
                VirtioFeatures.has(features, VirtioFeatures.INDIRECT_DESC));
        this.mask = layout.size() - 1;
    }

    /** Resumes a ring another party started: the next avail slot to read and our used idx (vhost-user SET_VRING_BASE). */
    synchronized void resumeAt(int nextAvail, int usedIndex) {
        lastAvail = nextAvail & 0xffff;
        usedIdx = usedIndex & 0xffff;
    }

    /** The next available-ring slot this queue will read (vhost-user GET_VRING_BASE). */
    public synchronized int nextAvail() { return lastAvail; }

    public int index() { return index; }

    public int size() { return layout.size(); }

    public SplitQueueLayout layout() { return layout; }

    public QueueMetrics metrics() { return metrics; }

    GuestMemory memory() { return memory; }

    /** True once a guest error stopped this queue (the device is in NEEDS_RESET). */
    public boolean broken() { return broken; }

    /** True until the device is reset. */
    public boolean alive() { return alive; }

    void kill() { alive = false; }

    /** Stops the queue because the device entered NEEDS_RESET (lock-free: called while other queues' locks are held). */
    void halt() { broken = true; }

    /**
     * The next available chain, or null when there is none, the queue is broken or dead. A malformed chain
     * is reported (NEEDS_RESET) and yields null.
     */
    public synchronized DescriptorChain pop() {
        if (!alive || broken) return null;
        try {
            int availIdx = memory.read16(layout.avail() + 2);
            lastSeenAvail = availIdx;
            int pending = (availIdx - lastAvail) & 0xffff;
            if (pending == 0) return null;
            // virtio 1.2 §2.7.13.3: the driver only ever adds up to the queue size before the device consumes.
            if (pending > layout.size()) {
                fail(VirtqueueError.AVAIL_INDEX_JUMP, "avail idx " + availIdx + ", last seen " + lastAvail + ", size " + layout.size());
                return null;
            }
            // virtio 1.2 §2.7.13.3.1: read the ring entry only after observing idx (acquire).
            VarHandle.acquireFence();
            int head = memory.read16(layout.avail() + 4 + 2L * (lastAvail & mask));
            DescriptorChain chain = parser.parse(this, head);
            lastAvail = (lastAvail + 1) & 0xffff;
            inFlight++;
            // virtio 1.2 §2.7.10: with EVENT_IDX, avail_event tells the driver when to notify next.
            if (eventIdx && notifications) writeAvailEvent(lastAvail);
            return chain;
        } catch (ChainParser.ChainError e) {
            fail(e.error, e.detail);
            return null;
        } catch (GuestMemoryException e) {
            fail(VirtqueueError.RING_OUT_OF_RAM, e.getMessage());
            return null;
        }
    }

    /** Adds {@code chain} to the used ring with {@code usedLength} bytes written, then interrupts unless suppressed. */
    public synchronized void complete(DescriptorChain chain, long usedLength) {
        if (addUsed(chain, usedLength)) signalUsed();
    }

    /**
     * Publishes {@code chain} in the used ring without deciding about an interrupt (batch several, then
     * call {@link #signalUsed()}). Returns false when the chain was dropped (queue dead or broken).
     *
     * @throws IllegalArgumentException when {@code usedLength} exceeds the chain's writable bytes, or the
     *                                  chain belongs to another queue (device bugs)
     */
    public synchronized boolean addUsed(DescriptorChain chain, long usedLength) {
        if (chain.queue() != this) {
            if (chain.queue().index() == index && !chain.queue().alive()) return false; // popped before a reset
            throw new IllegalArgumentException("chain of queue " + chain.queue().index() + " completed on queue " + index);
        }
        if (usedLength < 0 || usedLength > chain.writableLength()) {
            throw new IllegalArgumentException("used length " + usedLength + " outside 0.." + chain.writableLength()
                    + " for head " + chain.head());
        }
        if (!alive || broken) return false;
        try {
            long elem = layout.used() + 4 + 8L * (usedIdx & mask);
            memory.write32(elem, chain.head());
            memory.write32(elem + 4, (int) usedLength);
            // virtio 1.2 §2.7.8.2 / §2.7.14: the used element must be visible before the new idx (release).
            VarHandle.releaseFence();
            usedIdx = (usedIdx + 1) & 0xffff;
            memory.write16(layout.used() + 2, usedIdx);
        } catch (GuestMemoryException e) {
            fail(VirtqueueError.RING_OUT_OF_RAM, e.getMessage());
            return false;
        }
        inFlight--;
        metrics.chains().increment();
        metrics.bytesRead().add(chain.readableLength());
        metrics.bytesWritten().add(usedLength);
        return true;
    }

    /**
     * Interrupts the driver for the used buffers published since the last decision, unless it suppressed
     * interrupts (virtio 1.2 §2.7.7: avail->flags NO_INTERRUPT, or with EVENT_IDX the used_event index).
     * Returns true when an interrupt was raised.
     */
    public synchronized boolean signalUsed() {
        if (!alive || broken) return false;
        boolean wasValid = signalledValid;
        int old = signalledUsed;
        if (wasValid && old == usedIdx) return false; // nothing new since the last decision
        try {
            // The driver's suppression state must be read after our used idx store is visible (§2.7.7.2).
            VarHandle.fullFence();
            boolean want;
            if (eventIdx) {
                int usedEvent = memory.read16(layout.avail() + 4 + 2L * layout.size());
                want = !wasValid || needEvent(usedEvent, usedIdx, old);
            } else {
                want = (memory.read16(layout.avail()) & AVAIL_F_NO_INTERRUPT) == 0;
            }
            signalledValid = true;
            signalledUsed = usedIdx;
            if (want) {
                metrics.interrupts().increment();
                host.usedBufferInterrupt(this);
            }
            return want;
        } catch (GuestMemoryException e) {
            fail(VirtqueueError.RING_OUT_OF_RAM, e.getMessage());
            return false;
        }
    }

    /** virtio 1.2 §2.7.7.2 vring_need_event: did [old, new) cross {@code event}? All u16 arithmetic. */
    static boolean needEvent(int event, int newIdx, int oldIdx) {
        return ((newIdx - event - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }

    /** Asks the driver not to notify (virtio 1.2 §2.7.10: used->flags NO_NOTIFY; with EVENT_IDX, avail_event is left behind). */
    public synchronized void disableNotifications() {
        if (!alive || broken || !notifications) return;
        notifications = false;
        if (!eventIdx) writeUsedFlags(USED_F_NO_NOTIFY);
    }

    /**
     * Asks the driver to notify again and returns true when chains are already available (the caller then
     * drains again: the driver may have added them while notifications were off).
     */
    public synchronized boolean enableNotifications() {
        if (!alive || broken) return false;
        notifications = true;
        if (eventIdx) writeAvailEvent(lastAvail);
        else writeUsedFlags(0);
        // Our flag/event store must be visible before we re-read avail->idx (§2.7.10, the driver's mirror check).
        VarHandle.fullFence();
        try {
            lastSeenAvail = memory.read16(layout.avail() + 2);
            return lastSeenAvail != lastAvail;
        } catch (GuestMemoryException e) {
            fail(VirtqueueError.RING_OUT_OF_RAM, e.getMessage());
            return false;
        }
    }

    /**
     * Handles every available chain inline with notifications off, completes each with the handler's
     * used length, then re-enables notifications and repeats while more arrived; one interrupt decision
     * per round. Returns the number of chains handled. A {@link VirtqueueException} from the handler stops
     * the drain (the fault is already reported).
     */
    public int drain(ChainHandler handler) {
        int handled = 0;
        try {
            do {
                disableNotifications();
                DescriptorChain chain;
                while ((chain = pop()) != null) {
                    long used = handler.handle(chain);
                    addUsed(chain, used);
                    handled++;
                }
                signalUsed();
            } while (enableNotifications());
        } catch (VirtqueueException e) {
            // reported when thrown
        }
        return handled;
    }

    /** Reports {@code error}, stops the queue, and returns the exception to unwind the device with. */
    VirtqueueException fail(VirtqueueError error, String detail) {
        broken = true;
        return host.fault(new VirtqueueFault(index, error, detail));
    }

    private void writeAvailEvent(int value) {
        try {
            memory.write16(layout.used() + 4 + 8L * layout.size(), value);
        } catch (GuestMemoryException e) {
            fail(VirtqueueError.RING_OUT_OF_RAM, e.getMessage());
        }
    }

    private void writeUsedFlags(int flags) {
        try {
            memory.write16(layout.used(), flags);
        } catch (GuestMemoryException e) {
            fail(VirtqueueError.RING_OUT_OF_RAM, e.getMessage());
        }
    }

    /** The queue's state for inspection; {@code maxSize} is the device's maximum for it. */
    synchronized QueueSnapshot snapshot(int maxSize) {
        int availFlags = -1, usedFlags = -1, usedEvent = -1, availEvent = -1;
        try {
            availFlags = memory.read16(layout.avail());
            usedFlags = memory.read16(layout.used());
            if (eventIdx) {
                usedEvent = memory.read16(layout.avail() + 4 + 2L * layout.size());
                availEvent = memory.read16(layout.used() + 4 + 8L * layout.size());
            }
            lastSeenAvail = memory.read16(layout.avail() + 2);
        } catch (GuestMemoryException e) {
            // the snapshot shows -1 for what it could not read
        }
        return new QueueSnapshot(index, layout.size(), maxSize, true, layout.desc(), layout.avail(), layout.used(),
                lastSeenAvail, lastAvail, usedIdx, inFlight, availFlags, usedFlags, usedEvent, availEvent,
                notifications, broken, metrics.notifications().get(), metrics.interrupts().get(), metrics.chains().get());
    }

    @Override public String toString() { return snapshot(layout.size()).toString(); }
}
