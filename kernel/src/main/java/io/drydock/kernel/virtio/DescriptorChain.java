package io.drydock.kernel.virtio;

import java.util.List;

/**
 * A descriptor chain popped from a {@link Virtqueue}, already checked against a hostile guest (see
 * {@link ChainParser}): the device-readable buffers first, then the device-writable ones (virtio 1.2
 * §2.7.4.2), every one inside RAM, their total below 2^32.
 *
 * <p>A device reads the request with {@link #reader()}, writes the reply with {@link #writer()}, and hands
 * the chain back with {@link Virtqueue#complete(DescriptorChain, long)} giving the bytes written. Chains
 * may be completed in any order and from any thread; a chain popped before a device reset is dropped
 * silently when completed.
 */
public final class DescriptorChain {
    private final Virtqueue queue;
    private final int head;
    private final List<GuestRange> readable;
    private final List<GuestRange> writable;
    private final long readableLength;
    private final long writableLength;

    DescriptorChain(Virtqueue queue, int head, List<GuestRange> readable, List<GuestRange> writable,
                    long readableLength, long writableLength) {
        this.queue = queue;
        this.head = head;
        this.readable = readable;
        this.writable = writable;
        this.readableLength = readableLength;
        this.writableLength = writableLength;
    }

    public Virtqueue queue() { return queue; }

    /** The head descriptor index: the id written to the used ring. */
    public int head() { return head; }

    /** The device-readable buffers, in order. */
    public List<GuestRange> readable() { return readable; }

    /** The device-writable buffers, in order. */
    public List<GuestRange> writable() { return writable; }

    public long readableLength() { return readableLength; }

    public long writableLength() { return writableLength; }

    /** A fresh cursor over the readable buffers, as one byte stream. */
    public ChainReader reader() { return new ChainReader(queue, readable, readableLength); }

    /** A fresh cursor over the writable buffers, as one byte stream; its {@code written()} is the used length. */
    public ChainWriter writer() { return new ChainWriter(queue, writable, writableLength); }

    @Override public String toString() {
        return "chain head " + head + " on queue " + queue.index() + ": readable " + readable + ", writable " + writable;
    }
}
