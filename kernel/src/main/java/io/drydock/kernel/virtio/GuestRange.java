package io.drydock.kernel.virtio;

/**
 * One buffer of a descriptor chain: [address, address+length) of guest-physical memory, checked to lie
 * inside one RAM region when the chain was parsed.
 */
public record GuestRange(long address, long length) {
    @Override public String toString() { return String.format("0x%x+%d", address, length); }
}
