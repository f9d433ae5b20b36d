package io.drydock.kernel.virtio;

/**
 * A virtio device is {@link Inactive} (no guest memory, no queues: it cannot touch the guest) or
 * {@link Active} (the driver set DRIVER_OK; the context holds memory, queues and the interrupt path).
 * Activation moves the resources in, reset takes them out (CONVENTIONS.md item 5). The core keeps one per
 * device; devices may use the same type for their own state.
 */
public sealed interface DeviceLifecycle {
    record Inactive() implements DeviceLifecycle {}

    record Active(ActiveContext context) implements DeviceLifecycle {}

    DeviceLifecycle INACTIVE = new Inactive();
}
