package io.drydock.kernel.virtio;

/**
 * Every way a guest can break a split virtqueue (virtio 1.2 §2.7). Each one puts the device into
 * DEVICE_NEEDS_RESET (§2.1.2), counts {@code virtio.NAME.needs_reset} and is reported once to the machine's
 * fault log; none is ever thrown to a hart.
 */
public enum VirtqueueError {
    /** Queue size not a power of two, zero, or above the device's maximum (§2.7: "Queue Size ... power of 2"). */
    QUEUE_SIZE_INVALID("queue size is not a power of two within the device's maximum"),
    /** Descriptor table, available or used ring not wholly inside RAM (§2.7 table of ring sizes). */
    RING_OUT_OF_RAM("ring lies outside guest RAM"),
    /** Ring alignment (§2.7: descriptor table 16, available ring 2, used ring 4). */
    RING_MISALIGNED("ring is not aligned as §2.7 requires"),
    /** The available index moved more than the queue size past the last one seen (§2.7.6). */
    AVAIL_INDEX_JUMP("available index moved by more than the queue size"),
    /** A head from the available ring or a {@code next} field ≥ the (indirect) table size (§2.7.5). */
    DESCRIPTOR_INDEX_OUT_OF_RANGE("descriptor index outside the table"),
    /** A descriptor visited twice while walking one chain. */
    DESCRIPTOR_LOOP("descriptor chain loops"),
    /** More descriptors than the queue size in one chain (§2.7.5.3.1 / §2.7.4.2 "MUST NOT ... longer than the Queue Size"). */
    CHAIN_TOO_LONG("descriptor chain longer than the queue size"),
    /** INDIRECT used without VIRTIO_F_INDIRECT_DESC negotiated (§2.7.5.3.1). */
    INDIRECT_NOT_NEGOTIATED("indirect descriptor without VIRTIO_F_INDIRECT_DESC"),
    /** An indirect table whose length is zero or not a multiple of 16 (§2.7.5.3). */
    INDIRECT_BAD_LENGTH("indirect table length is zero or not a multiple of 16"),
    /** INDIRECT inside an indirect table (§2.7.5.3.1 "MUST NOT set VIRTQ_DESC_F_INDIRECT in an indirect descriptor"). */
    NESTED_INDIRECT("indirect descriptor inside an indirect table"),
    /** INDIRECT together with NEXT (§2.7.5.3.1 "MUST NOT set both"). */
    INDIRECT_WITH_NEXT("descriptor has both INDIRECT and NEXT"),
    /** The chain's buffers add up to 2^32 bytes or more (used lengths are 32-bit, §2.7.8). */
    TOTAL_LENGTH_OVERFLOW("chain's total length reaches 2^32"),
    /** A buffer or indirect table not wholly inside RAM. */
    ADDRESS_OUT_OF_RAM("buffer lies outside guest RAM"),
    /** A device-readable descriptor after a device-writable one (§2.7.4.2). */
    READABLE_AFTER_WRITABLE("readable descriptor after a writable one"),
    /** The driver broke the device protocol outside a queue (DRIVER_OK before FEATURES_OK, a device-specific rule). */
    DEVICE_ERROR("driver broke the device protocol");

    private final String description;

    VirtqueueError(String description) { this.description = description; }

    public String description() { return description; }
}
