package io.drydock.kernel.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a RAM backing's mapping in place while a CPU reaches it by raw host address instead of through its
 * segment: the segment's bounds and liveness checks are what make an access after {@link MemoryBacking#close()}
 * an exception, and an access by raw address has neither — after the unmap it would be a SIGSEGV that kills
 * the JVM. So a CPU {@link #enter enters} the lease before it uses such addresses and {@link #exit exits} it
 * after (once per run of up to a few thousand instructions), and the backing's close goes through
 * {@link #close}: with nobody inside it unmaps at once, else it only marks the lease closed (no new
 * {@code enter} succeeds) and the last {@code exit} unmaps. Until then the memory stays mapped and readable
 * through the segment as well; a closed backing's CPUs drop their raw addresses at their next enter.
 *
 * <p>Only raw reads and writes are covered by this: a page the host cannot back (SIGBUS) is still
 * {@link RamAccess.Failure#HOST_FAULT}, whichever way it was reached.
 */
public final class RamLease {
    private static final int CLOSED = 1 << 30;
    private final Arena arena;
    private final MemorySegment segment;
    private final Runnable afterUnmap;
    /** The number of CPUs inside, plus CLOSED once {@link #close} was called. */
    private final AtomicInteger state = new AtomicInteger();

    /** {@code afterUnmap} runs once, on the thread that unmapped (closing a descriptor, say). */
    RamLease(Arena arena, MemorySegment segment, Runnable afterUnmap) {
        this.arena = arena;
        this.segment = segment;
        this.afterUnmap = afterUnmap;
    }

    /** The host address of the backing's first byte. */
    public long address() { return segment.address(); }

    /** True when the mapping stays in place until this thread's {@link #exit}; false once the backing was closed. */
    public boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) return false;
            if (state.compareAndSet(s, s + 1)) return true;
        }
    }

    /** Ends an {@link #enter} that returned true; the last one out of a closed lease unmaps. */
    public void exit() {
        int s = state.decrementAndGet();
        if (s == CLOSED) unmap();
        else if (s < 0 || s == CLOSED - 1) throw new IllegalStateException("exit without enter");
    }

    /** True once {@link #close} was called (the mapping may still be in place for CPUs inside). */
    public boolean closed() { return (state.get() & CLOSED) != 0; }

    /** Unmaps now when nobody is inside, else when the last one exits. Idempotent. */
    void close() {
        int s = state.getAndUpdate(v -> v | CLOSED);
        if (s == 0) unmap();
    }

    private void unmap() {
        arena.close();
        afterUnmap.run();
    }
}
