package io.drydock.kernel.bus;

/**
 * A memory-mapped device: the system bus calls it for every guest access inside its region, with the
 * offset from the region's base.
 *
 * <p>Called on the accessing hart's thread (several harts may call concurrently: a device with state
 * synchronises it), for accesses that lie wholly inside the region. Handlers must be short; long work
 * goes to the device's own threads. A handler may throw {@link BusFault} for an access the device does
 * not decode (the hart takes an access fault); any other exception is a device bug, which the bus counts,
 * logs and turns into a fault as well.
 */
public interface BusDevice {
    /**
     * @param offset device-local offset, 0 ≤ offset ≤ region size − size
     * @param size   1, 2, 4 or 8 bytes
     * @return the value, zero-extended to 64 bits (the hart sign-extends as its instruction says)
     */
    long read(long offset, int size);

    /**
     * @param value the low {@code size} bytes are the data
     */
    void write(long offset, int size, long value);
}
