package io.drydock.kernel.bus;

/**
 * A guest access that nothing answers: no region at the address, an access across a region's end, or a
 * width the device does not decode. The hart turns it into an access-fault trap; tools report it. It
 * carries no stack trace (guests may cause millions) — the message says everything.
 */
public final class BusFault extends RuntimeException {
    private final long address;
    private final int size;
    private final boolean write;

    public BusFault(long address, int size, boolean write, String reason) {
        super(String.format("%s of %d bytes at 0x%x: %s", write ? "write" : "read", size, address, reason),
                null, false, false);
        this.address = address;
        this.size = size;
        this.write = write;
    }

    /** The same, caused by a device's failure. */
    public BusFault(long address, int size, boolean write, String reason, Throwable cause) {
        super(String.format("%s of %d bytes at 0x%x: %s", write ? "write" : "read", size, address, reason),
                cause, false, false);
        this.address = address;
        this.size = size;
        this.write = write;
    }

    public long address() { return address; }

    public int size() { return size; }

    public boolean isWrite() { return write; }
}
