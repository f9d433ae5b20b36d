package io.drydock.pci;

import io.drydock.kernel.bus.BusConflictException;
import io.drydock.kernel.bus.BusRegion;
import io.drydock.kernel.bus.MemoryMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Keeps the system bus in step with the BARs the guest programs: a BAR appears (MemoryMap.addDevice) when
 * memory decoding is on and it holds a usable address inside an MMIO window, moves when reprogrammed, and
 * disappears when decoding goes off or the address becomes unusable — as QEMU's pci_update_mappings
 * (address 0, the all-ones sizing pattern, or a range that wraps count as unmapped). A BAR that would
 * overlap another region stays unmapped (noted for lspci) and is retried at the next change. Called under
 * the host's lock.
 */
final class BarMapper {
    private record Key(PciFunction function, int bar) {}

    /** Where a BAR is now: a bus region for registers, a base for windows; or why it is not mapped. */
    private record Mapping(long base, BusRegion region) {}

    private final MemoryMap map;
    private final PciWindows windows;
    private final Map<Key, Mapping> mapped = new HashMap<>();
    private final Map<Key, String> conflicts = new HashMap<>();

    BarMapper(MemoryMap map, PciWindows windows) {
        this.map = map;
        this.windows = windows;
    }

    /** The guest-physical address {@code bar} decodes at, or -1 when it decodes nothing. */
    long decodedBase(PciFunction f, Bar bar) {
        if (!f.memoryEnabled()) return -1;
        long base = f.barAddress(bar);
        long last = base + bar.size() - 1;
        if (base == 0 || last == -1 || Long.compareUnsigned(last, base) <= 0) return -1;
        if (!bar.is64() && last >= 0xffff_ffffL) return -1;
        return windows.reachable(base, bar.size()) ? base : -1;
    }

    /** Brings every BAR of {@code functions} to where the configuration says it should be. */
    void reconcile(List<PciFunction> functions) {
        Map<Key, Long> want = new HashMap<>();
        for (PciFunction f : functions) {
            for (Bar b : f.bars()) {
                long base = decodedBase(f, b);
                if (base >= 0) want.put(new Key(f, b.index()), base);
            }
        }
        // 1. remove what should no longer be there, so moves below find the space free
        for (var it = mapped.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!want.containsKey(e.getKey())) {
                unmap(e.getKey(), e.getValue());
                it.remove();
            }
        }
        conflicts.keySet().retainAll(want.keySet());
        // 2. move and add
        for (var e : want.entrySet()) {
            Key k = e.getKey();
            long base = e.getValue();
            Mapping now = mapped.get(k);
            if (now != null && now.base() == base) continue;
            Bar bar = barOf(k);
            try {
                Mapping next = switch (bar.target()) {
                    case Bar.Target.Registers r -> new Mapping(base, now == null
                            ? map.addDevice(k.function().name() + ".bar" + k.bar(), base, bar.size(), r.device())
                            : map.move(now.region(), base));
                    case Bar.Target.Window w -> {
                        if (now != null) w.placement().placed(OptionalLong.empty());
                        w.placement().placed(OptionalLong.of(base));
                        yield new Mapping(base, null);
                    }
                };
                mapped.put(k, next);
                conflicts.remove(k);
            } catch (BusConflictException ex) {
                if (now != null) {
                    unmap(k, now);
                    mapped.remove(k);
                }
                conflicts.put(k, ex.getMessage());
            }
        }
    }

    /** Removes every mapping (machine reset, before the configuration returns to power-on). */
    void clear() {
        mapped.forEach(this::unmap);
        mapped.clear();
        conflicts.clear();
    }

    private void unmap(Key k, Mapping m) {
        switch (barOf(k).target()) {
            case Bar.Target.Registers r -> map.remove(m.region());
            case Bar.Target.Window w -> w.placement().placed(OptionalLong.empty());
        }
    }

    private static Bar barOf(Key k) {
        for (Bar b : k.function().bars()) if (b.index() == k.bar()) return b;
        throw new IllegalStateException("no BAR " + k.bar());
    }

    /** Where {@code bar} is mapped now, or -1. */
    long mappedBase(PciFunction f, int bar) {
        Mapping m = mapped.get(new Key(f, bar));
        return m == null ? -1 : m.base();
    }

    /** Why {@code bar} is not mapped although programmed, or null. */
    String conflict(PciFunction f, int bar) { return conflicts.get(new Key(f, bar)); }
}
