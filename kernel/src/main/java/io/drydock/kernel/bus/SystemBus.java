package io.drydock.kernel.bus;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.GuestMemoryException;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.RamAccess;
import io.drydock.kernel.memory.RamRegion;
import io.drydock.kernel.metrics.MetricsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The machine's physical address space: routes each access to RAM or to the memory-mapped device whose
 * region contains it, handing the device its local offset. An access to nothing is a {@link BusFault}.
 *
 * <p>Lookups read an immutable sorted snapshot (one volatile read, then a binary search), so accesses from
 * any number of hart threads never lock; changes copy the snapshot under a lock.
 */
public final class SystemBus implements MemoryMap {
    private static final Logger log = LoggerFactory.getLogger(SystemBus.class);

    private final MetricsRegistry metrics;
    private final GuestMemory.Owner memory = GuestMemory.newOwner();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Regions sorted by base, with their bases in a parallel array for the binary search; immutable. */
    private record Snapshot(BusRegion[] regions, long[] bases) {}

    private volatile Snapshot map = new Snapshot(new BusRegion[0], new long[0]);

    public SystemBus(MetricsRegistry metrics) { this.metrics = metrics; }

    /** Guest-physical memory (the RAM regions of this bus) as devices see it. */
    public GuestMemory memory() { return memory.memory(); }

    // ---- provider side ----

    @Override public RamRegion addRam(String name, long base, MemoryBacking backing) {
        RamRegion region = new RamRegion(name, base, backing);
        insert(new BusRegion.Ram(region));
        return region;
    }

    @Override public BusRegion.Device addDevice(String name, long base, long size, BusDevice device) {
        if (size <= 0) throw new BusConflictException(name + ": region size must be positive, was " + size);
        var region = new BusRegion.Device(name, base, size, device, MmioCounters.register(metrics, name));
        insert(region);
        return region;
    }

    @Override public BusRegion move(BusRegion region, long newBase) {
        synchronized (lock) {
            BusRegion moved = switch (region) {
                case BusRegion.Ram r -> new BusRegion.Ram(r.region().movedTo(newBase));
                case BusRegion.Device d -> new BusRegion.Device(d.name(), newBase, d.size(), d.device(), d.counters());
            };
            List<BusRegion> next = without(region);
            checkFree(next, moved);
            next.add(moved);
            publish(next);
            return moved;
        }
    }

    @Override public void remove(BusRegion region) {
        detach(region);
        if (region instanceof BusRegion.Ram r) r.region().backing().close();
    }

    @Override public void detach(BusRegion region) {
        synchronized (lock) {
            publish(without(region));
        }
    }

    @Override public List<BusRegion> regions() { return List.of(map.regions()); }

    @Override public void addChangeListener(Runnable listener) { listeners.add(listener); }

    /** Closes every RAM backing and empties the map (machine teardown). */
    public void closeAll() {
        List<BusRegion> all;
        synchronized (lock) {
            all = List.of(map.regions());
            publish(new ArrayList<>());
        }
        for (BusRegion r : all) if (r instanceof BusRegion.Ram ram) ram.region().backing().close();
    }

    private void insert(BusRegion region) {
        synchronized (lock) {
            List<BusRegion> next = new ArrayList<>(Arrays.asList(map.regions()));
            checkFree(next, region);
            next.add(region);
            publish(next);
        }
    }

    private List<BusRegion> without(BusRegion region) {
        List<BusRegion> next = new ArrayList<>(Arrays.asList(map.regions()));
        if (!next.remove(region)) throw new IllegalArgumentException("not mapped: " + region.name());
        return next;
    }

    private static void checkFree(List<BusRegion> regions, BusRegion candidate) {
        if (candidate.base() < 0 || candidate.end() < candidate.base()) {
            throw new BusConflictException(String.format("%s at 0x%x (+0x%x) lies outside the address space",
                    candidate.name(), candidate.base(), candidate.size()));
        }
        for (BusRegion r : regions) {
            if (candidate.base() < r.end() && r.base() < candidate.end()) {
                throw new BusConflictException(String.format(
                        "%s at 0x%x-0x%x overlaps %s at 0x%x-0x%x", candidate.name(), candidate.base(),
                        candidate.end() - 1, r.name(), r.base(), r.end() - 1));
            }
        }
    }

    private void publish(List<BusRegion> next) {
        next.sort((a, b) -> Long.compare(a.base(), b.base())); // not comparingLong, whose lambda the AOT cache cannot hold
        BusRegion[] array = next.toArray(BusRegion[]::new);
        long[] b = new long[array.length];
        List<RamRegion> ram = new ArrayList<>();
        for (int i = 0; i < array.length; i++) {
            b[i] = array[i].base();
            if (array[i] instanceof BusRegion.Ram r) ram.add(r.region());
        }
        memory.setRegions(ram);
        map = new Snapshot(array, b);
        for (Runnable l : listeners) l.run();
    }

    // ---- access side ----

    /** The region containing {@code addr}, or null. */
    public BusRegion find(long addr) {
        Snapshot snapshot = map;
        BusRegion[] m = snapshot.regions();
        int i = Arrays.binarySearch(snapshot.bases(), addr);
        if (i < 0) i = -i - 2;
        if (i < 0 || i >= m.length) return null;
        BusRegion r = m[i];
        return addr - r.base() < r.size() ? r : null;
    }

    /**
     * A guest read of {@code size} (1, 2, 4, 8) bytes at {@code addr}, zero-extended.
     *
     * @throws BusFault when nothing answers
     */
    public long read(long addr, int size) {
        BusRegion r = find(addr);
        if (r == null || !r.contains(addr, size)) throw new BusFault(addr, size, false, r == null ? "nothing mapped" : "crosses the end of " + r.name());
        // instanceof, not a pattern switch: each switch site spins a class at its first use (an indy the AOT
        // cache does not link), on the way to a cold run's first guest instruction. BusRegion is Ram or Device.
        if (r instanceof BusRegion.Ram ram) return readRam(ram.region(), addr, size);
        BusRegion.Device d = (BusRegion.Device) r;
        d.counters().reads().increment();
        try {
            return d.device().read(addr - d.base(), size);
        } catch (BusFault f) {
            d.counters().faults().increment();
            throw f;
        } catch (RuntimeException e) {
            throw deviceBug(d, addr, size, false, e);
        }
    }

    /**
     * A guest write of the low {@code size} bytes of {@code value} at {@code addr}.
     *
     * @throws BusFault when nothing answers
     */
    public void write(long addr, int size, long value) {
        BusRegion r = find(addr);
        if (r == null || !r.contains(addr, size)) throw new BusFault(addr, size, true, r == null ? "nothing mapped" : "crosses the end of " + r.name());
        if (r instanceof BusRegion.Ram ram) { // not a pattern switch: see read
            writeRam(ram.region(), addr, size, value);
            return;
        }
        BusRegion.Device d = (BusRegion.Device) r;
        d.counters().writes().increment();
        try {
            d.device().write(addr - d.base(), size, value);
        } catch (BusFault f) {
            d.counters().faults().increment();
            throw f;
        } catch (RuntimeException e) {
            throw deviceBug(d, addr, size, true, e);
        }
    }

    private BusFault deviceBug(BusRegion.Device d, long addr, int size, boolean write, RuntimeException e) {
        d.counters().faults().increment();
        log.error("device {} failed on a {}-byte {} at offset 0x{}", d.name(), size, write ? "write" : "read",
                Long.toHexString(addr - d.base()), e);
        return new BusFault(addr, size, write, d.name() + " failed: " + e, e);
    }

    // RAM through the one access primitive (RamAccess: layouts, and what a region unmapped meanwhile, a SIGBUS
    // on a truncated DAX page or a read-only mapping mean), as a failed guest access.
    private static long readRam(RamRegion r, long addr, int size) {
        if (!validSize(size)) throw new BusFault(addr, size, false, "unsupported access size");
        try {
            return RamAccess.read(r, addr, size);
        } catch (GuestMemoryException e) {
            throw new BusFault(addr, size, false, r.name() + " is not readable now: " + e.getMessage(), cause(e));
        }
    }

    private static void writeRam(RamRegion r, long addr, int size, long value) {
        if (!validSize(size)) throw new BusFault(addr, size, true, "unsupported access size");
        try {
            RamAccess.write(r, addr, size, value);
        } catch (GuestMemoryException e) {
            throw new BusFault(addr, size, true, r.name() + " is not writable now: " + e.getMessage(), cause(e));
        }
    }

    /** What the host reported (the closed region, the SIGBUS), as the fault's cause. */
    private static Throwable cause(GuestMemoryException e) { return e.getCause() != null ? e.getCause() : e; }

    private static boolean validSize(int size) { return size == 1 || size == 2 || size == 4 || size == 8; }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("address map:");
        for (BusRegion r : map.regions()) sb.append("\n  ").append(r);
        return sb.toString();
    }
}
