package io.drydock.kernel.virtio;

/**
 * Unwinds a device's request handling after a guest error on a queue. By the time it is thrown the fault
 * has already been reported (the device is in DEVICE_NEEDS_RESET, the counter counted, the machine's fault
 * log written): a device catches it at the top of its request loop and drops the request. The core catches
 * it around {@link VirtioDevice#queueNotified}, so it never reaches a hart. No stack trace: guests may
 * cause many.
 */
public final class VirtqueueException extends RuntimeException {
    private final VirtqueueFault fault;

    public VirtqueueException(VirtqueueFault fault) {
        super(fault.toString(), null, false, false);
        this.fault = fault;
    }

    /** The same fault, keeping what caused it (a device's own exception). */
    public VirtqueueException(VirtqueueFault fault, Throwable cause) {
        super(fault.toString(), cause, false, false);
        this.fault = fault;
    }

    public VirtqueueFault fault() { return fault; }
}
