package io.drydock.dax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many live DAX mappings this JVM may hold, from {@code /proc/sys/vm/max_map_count} (issue #11 finding 2).
 *
 * <p>Every file range mapped into a window is one VMA of the process and splits the window's anonymous
 * reservation around it, so a mapping costs up to two of the kernel's {@code vm.max_map_count} (65530 by
 * default). A guest sending ~32,000 scattered 4 KiB SETUPMAPPINGs would otherwise push the process past it,
 * and the next mmap of the JVM itself (a thread stack, the heap, the code cache) fails and aborts the JVM.
 * The budget is {@code (max_map_count - maps in use at start - RESERVE) / 2}, shared by every window of the
 * process; past it SETUPMAPPING answers ENOMEM (the guest's DAX code then reclaims ranges and retries).
 * Thread-safe.
 */
final class MapCountBudget {
    /** VMAs left to the JVM's own growth (threads, heap regions, code cache, other devices). */
    static final long RESERVE = 8192;
    /** The process-wide budget. */
    static final MapCountBudget PROCESS = new MapCountBudget(fromProc());

    private final long total;
    private final AtomicLong used = new AtomicLong();

    MapCountBudget(long total) { this.total = Math.max(0, total); }

    private static long fromProc() {
        try {
            long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/vm/max_map_count")).getFirst().trim());
            long inUse;
            try (var lines = Files.lines(Path.of("/proc/self/maps"))) { inUse = lines.count(); }
            return (max - inUse - RESERVE) / 2;
        } catch (IOException | NumberFormatException e) {
            return 16_384; // (65530 - a busy JVM's maps - RESERVE) / 2, rounded down
        }
    }

    /** Takes {@code n} mappings; false (nothing taken) when that would go past the budget. */
    boolean tryTake(long n) {
        while (true) {
            long u = used.get();
            if (u + n > total) return false;
            if (used.compareAndSet(u, u + n)) return true;
        }
    }

    /** Returns {@code n} mappings (negative: takes them unconditionally, for a removal that split one). */
    void give(long n) { used.addAndGet(-n); }

    long total() { return total; }

    long used() { return used.get(); }
}
