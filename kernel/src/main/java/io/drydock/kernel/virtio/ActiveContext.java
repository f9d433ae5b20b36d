package io.drydock.kernel.virtio;

import io.drydock.kernel.memory.GuestMemory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an active device gets from the core at DRIVER_OK (virtio 1.2 §3.1.1 step 8): guest memory, the
 * negotiated features, its enabled queues, and the paths back to the driver — configuration-change
 * notifications and device-wide faults. Invalid after the device's {@link VirtioDevice#reset()} (queues
 * then drop everything). Thread-safe.
 */
public final class ActiveContext {
    private final GuestMemory memory;
    private final long features;
    private final Virtqueue[] queues;
    private final VirtioCore core;

    ActiveContext(GuestMemory memory, long features, Virtqueue[] queues, VirtioCore core) {
        this.memory = memory;
        this.features = features;
        this.queues = queues;
        this.core = core;
    }

    /** Guest-physical memory (checked accessors). */
    public GuestMemory memory() { return memory; }

    /** The features the driver accepted (FEATURES_OK). */
    public long features() { return features; }

    public boolean hasFeature(int bit) { return VirtioFeatures.has(features, bit); }

    /** Queue {@code index}, or null when the driver did not enable it (or it does not exist). */
    public Virtqueue queue(int index) { return index >= 0 && index < queues.length ? queues[index] : null; }

    /** The enabled queues in index order. */
    public List<Virtqueue> queues() {
        List<Virtqueue> out = new ArrayList<>();
        for (Virtqueue q : queues) if (q != null) out.add(q);
        return Collections.unmodifiableList(out);
    }

    /**
     * The device changed its configuration space: bumps {@code config_generation} and sends the driver a
     * configuration change notification (virtio 1.2 §2.5.1, §4.1.4.5 ISR bit 1).
     */
    public void configChanged() { if (current()) core.configChanged(); }

    /**
     * A backend in another process used buffers of queue {@code index} and asks for the used-buffer
     * interrupt (vhost-user: it signalled the call eventfd; it already applied the driver's suppression).
     */
    public void usedBuffersElsewhere(int index) {
        Virtqueue q = queue(index);
        if (q != null && current()) core.externalInterrupt(q);
    }

    /** True until the device is reset: a context kept past its reset does nothing. */
    public boolean current() {
        return core.lifecycle() instanceof DeviceLifecycle.Active(ActiveContext c) && c == this;
    }

    /**
     * The driver broke a device-specific rule the device cannot serve: enter NEEDS_RESET (§2.1.2), count it
     * and log it once. Returns the exception for the caller to unwind its request with.
     */
    public VirtqueueException deviceError(String reason) {
        VirtqueueFault fault = new VirtqueueFault(VirtqueueFault.DEVICE, VirtqueueError.DEVICE_ERROR, reason);
        return current() ? core.fault(fault) : new VirtqueueException(fault);
    }

    /** {@link #deviceError(String)} that keeps what caused it (as the returned exception's cause). */
    public VirtqueueException deviceError(String reason, Throwable cause) {
        VirtqueueException e = deviceError(cause == null ? reason : reason + ": " + cause);
        return cause == null ? e : new VirtqueueException(e.fault(), cause);
    }
}
