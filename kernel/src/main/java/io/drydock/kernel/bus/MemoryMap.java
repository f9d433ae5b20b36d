package io.drydock.kernel.bus;

import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.RamRegion;

import java.util.List;

/**
 * The provider side of the address map: adds, moves and removes RAM and device regions. Given to board
 * code, the PCI host (BARs move as the guest programs them) and the DAX window; never to ordinary devices.
 *
 * <p>Thread-safe; changes are atomic with respect to accesses (an access sees the map before or after a
 * change, never half of it). Regions may change while the machine runs. Overlaps are refused with
 * {@link BusConflictException}.
 */
public interface MemoryMap {
    /** Maps host memory at {@code base}; the map owns the backing and closes it on {@link #remove}. */
    RamRegion addRam(String name, long base, MemoryBacking backing);

    /** Maps a device's registers at [base, base+size). */
    BusRegion.Device addDevice(String name, long base, long size, BusDevice device);

    /** Moves a region (a PCI BAR reprogrammed). Returns the region at its new place. */
    BusRegion move(BusRegion region, long newBase);

    /** Removes a region; a RAM region's backing is closed (unmapped) at once. */
    void remove(BusRegion region);

    /** Removes a RAM region without closing its backing (the caller keeps and closes it). */
    void detach(BusRegion region);

    /** Every region, sorted by base. */
    List<BusRegion> regions();

    /** Registers a listener called (on the changing thread) after every change, e.g. to flush a hart's TLB. */
    void addChangeListener(Runnable listener);
}
