package io.drydock.kernel.debug;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The breakpoints and watchpoints of one machine. They belong to the machine, not to a debugger: the GDB
 * stub and the shell's helpers see and change the same set, and it survives {@code boot}, {@code run},
 * {@code pause} and {@code reset}. Addresses are the virtual addresses the harts execute and access.
 *
 * <p>Threads: changed from any thread (the shell, a debugger connection); read by hart threads. A hart asks
 * {@link #armed()} (one volatile read) once per run of a few thousand instructions and takes its slow,
 * checking path only while something is set, so an empty set costs the translated-code fast path nothing.
 * With breakpoints only, a hart checks instruction by instruction only on the pages that hold one
 * ({@link #breaksPage}); code elsewhere still runs translated. {@link #onChange listeners} run on the
 * changing thread after every change (harts use them to drop TLB entries of watched pages and of pages with
 * breakpoints).
 */
public final class DebugPoints {
    /** What a watchpoint reacts to (gdb's watch, rwatch and awatch). */
    public enum WatchKind { WRITE, READ, ACCESS }

    /** {@code length} bytes from {@code address}; length 1..4096. */
    public record Watchpoint(long address, int length, WatchKind kind) {
        public Watchpoint {
            if (length < 1 || length > 4096) throw new IllegalArgumentException("watchpoint length must be 1..4096, was " + length);
        }

        /** True when an access of {@code size} bytes at {@code va} overlaps this range and matches its kind. */
        public boolean matches(long va, int size, boolean write) {
            boolean kindOk = kind == WatchKind.ACCESS || (kind == WatchKind.WRITE) == write;
            return kindOk && va < address + length && address < va + size;
        }

        @Override public String toString() {
            return String.format("%s watchpoint 0x%x, %d byte%s", kind.name().toLowerCase(), address, length, length == 1 ? "" : "s");
        }
    }

    private final Set<Long> breakpoints = new TreeSet<>();
    private final List<Watchpoint> watchpoints = new ArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    // snapshots the harts read without locking
    private volatile long[] breakpointArray = new long[0];
    private volatile Watchpoint[] watchArray = new Watchpoint[0];
    private volatile boolean armed;

    /** True when any breakpoint or watchpoint is set. Cheap (a volatile read): harts poll it. */
    public boolean armed() { return armed; }

    /** True when a breakpoint is set at {@code pc}. Any thread. */
    public boolean isBreakpoint(long pc) {
        for (long b : breakpointArray) if (b == pc) return true;
        return false;
    }

    public boolean hasWatchpoints() { return watchArray.length > 0; }

    public boolean hasBreakpoints() { return breakpointArray.length > 0; }

    /** True when a breakpoint lies on the 4 KiB virtual page {@code vpn}. Any thread. */
    public boolean breaksPage(long vpn) {
        for (long b : breakpointArray) if (b >>> 12 == vpn) return true;
        return false;
    }

    /** The first watchpoint an access of {@code size} bytes at {@code va} triggers, or null. Any thread. */
    public Watchpoint watchHit(long va, int size, boolean write) {
        for (Watchpoint w : watchArray) if (w.matches(va, size, write)) return w;
        return null;
    }

    /** True when a watchpoint overlaps the 4 KiB page {@code vpn} (harts keep such pages out of their TLBs). */
    public boolean watchesPage(long vpn) {
        for (Watchpoint w : watchArray) {
            if (Long.compareUnsigned(w.address() >>> 12, vpn) <= 0 && Long.compareUnsigned(vpn, (w.address() + w.length() - 1) >>> 12) <= 0) return true;
        }
        return false;
    }

    /** Adds a breakpoint; false when one was already set there. */
    public boolean addBreakpoint(long pc) {
        boolean added;
        synchronized (this) {
            added = breakpoints.add(pc);
            publish();
        }
        if (added) listeners.forEach(Runnable::run);
        return added;
    }

    /** Removes a breakpoint; false when none was set there. */
    public boolean removeBreakpoint(long pc) {
        boolean removed;
        synchronized (this) {
            removed = breakpoints.remove(pc);
            publish();
        }
        if (removed) listeners.forEach(Runnable::run);
        return removed;
    }

    public synchronized List<Long> breakpoints() { return List.copyOf(breakpoints); }

    /** Adds a watchpoint (an equal one is not added twice); false when it was already set. */
    public boolean addWatchpoint(Watchpoint w) {
        synchronized (this) {
            if (watchpoints.contains(w)) return false;
            watchpoints.add(w);
            publish();
        }
        listeners.forEach(Runnable::run);
        return true;
    }

    public boolean removeWatchpoint(Watchpoint w) {
        synchronized (this) {
            if (!watchpoints.remove(w)) return false;
            publish();
        }
        listeners.forEach(Runnable::run);
        return true;
    }

    public synchronized List<Watchpoint> watchpoints() { return List.copyOf(watchpoints); }

    /** Removes every breakpoint and watchpoint. */
    public void clear() {
        synchronized (this) {
            breakpoints.clear();
            watchpoints.clear();
            publish();
        }
        listeners.forEach(Runnable::run);
    }

    /** {@code r} runs after every change of a breakpoint or watchpoint, on the changing thread. */
    public void onChange(Runnable r) { listeners.add(r); }

    private void publish() {
        breakpointArray = breakpoints.stream().mapToLong(Long::longValue).toArray();
        watchArray = watchpoints.toArray(Watchpoint[]::new);
        armed = !breakpoints.isEmpty() || !watchpoints.isEmpty();
    }

    @Override public synchronized String toString() {
        if (breakpoints.isEmpty() && watchpoints.isEmpty()) return "no breakpoints or watchpoints";
        StringBuilder sb = new StringBuilder();
        for (long b : breakpoints) sb.append(String.format("breakpoint 0x%x%n", b));
        for (Watchpoint w : watchpoints) sb.append(w).append('\n');
        return sb.toString().stripTrailing();
    }
}
