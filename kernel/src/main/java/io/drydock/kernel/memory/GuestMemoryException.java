package io.drydock.kernel.memory;

/**
 * An access to guest-physical memory that is not wholly inside RAM (or to memory unmapped meanwhile).
 * Devices turn it into NEEDS_RESET; CPUs into an access fault. Never a bug of the host.
 */
public final class GuestMemoryException extends RuntimeException {
    private final long address;
    private final long length;

    public GuestMemoryException(long address, long length, String reason) {
        super(String.format("guest-physical 0x%x (+%d bytes): %s", address, length, reason));
        this.address = address;
        this.length = length;
    }

    public GuestMemoryException(long address, long length, String reason, Throwable cause) {
        this(address, length, reason);
        initCause(cause);
    }

    public long address() { return address; }

    public long length() { return length; }
}
