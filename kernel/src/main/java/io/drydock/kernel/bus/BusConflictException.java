package io.drydock.kernel.bus;

/** A region that would overlap another, or lie outside the address space. Thrown at assembly or when moving. */
public final class BusConflictException extends IllegalArgumentException {
    public BusConflictException(String message) { super(message); }
}
