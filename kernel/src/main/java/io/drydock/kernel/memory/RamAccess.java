package io.drydock.kernel.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The one primitive by which anything reaches guest RAM on the host: devices (through {@link GuestMemory}),
 * the system bus, and the CPUs' interpreters and translated code (through their TLBs, which cache a RAM
 * region's segment and offset). Guest memory is little-endian; the layouts here are the only ones used for it.
 *
 * <p>A RAM access that passed its bounds check can still fail in three ways, none of them a host bug — this
 * class is the one place that says what they are and what they mean:
 * <ul>
 *   <li>{@link Failure#UNMAPPED}: the region was unmapped after the caller found it (its memory released:
 *       machine teardown, a DAX window closed). The JDK throws {@code IllegalStateException("Already closed")}.</li>
 *   <li>{@link Failure#HOST_FAULT}: a DAX window page past the end of its host file (the file was truncated
 *       under the mapping), or a page of tmpfs-backed RAM ({@link TmpfsRam}) the filled tmpfs cannot back,
 *       raises SIGBUS, which the JDK (25) reports as {@code InternalError} "a fault occurred in an unsafe
 *       memory access operation" on the accessing thread.</li>
 *   <li>{@link Failure#READ_ONLY}: a write to a read-only mapping (checked before writing by {@link #write}).</li>
 * </ul>
 * For the guest each is a failed access: a device goes to NEEDS_RESET, a CPU takes an access fault. Anything
 * else thrown by an access ({@link #failure} answers null) is a bug and must surface as one.
 *
 * <p>A CPU may also reach a backing that has a {@link RamLease} (anonymous memory, memfds) by raw host address,
 * with no segment check at all, while it is inside that lease: the lease defers the unmap until it leaves, so
 * UNMAPPED cannot happen to such an access, and HOST_FAULT comes as above (the SIGBUS of an access by address
 * is the same InternalError; cpu-riscv's DramLeaseTest shows both).
 *
 * <p>{@link #get}/{@link #set} are unchecked (the caller's TLB or lookup placed the offset inside the segment,
 * and the caller catches with {@link #failure}); {@link #read}/{@link #write} check against a region and throw
 * {@link GuestMemoryException}.
 */
public final class RamAccess {
    private RamAccess() {}

    public static final ValueLayout.OfByte LE8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** How a RAM access that was inside its region failed. */
    public enum Failure {
        UNMAPPED("region was unmapped"),
        HOST_FAULT("host fault (a mapped page the host cannot back)"),
        READ_ONLY("read-only");

        private final String reason;

        Failure(String reason) { this.reason = reason; }

        public String reason() { return reason; }
    }

    /** A load of 1, 2, 4 or 8 bytes at {@code off}, zero-extended. Unchecked; see {@link #failure}. */
    public static long get(MemorySegment seg, long off, int size) {
        return switch (size) {
            case 1 -> seg.get(LE8, off) & 0xffL;
            case 2 -> seg.get(LE16, off) & 0xffffL;
            case 4 -> seg.get(LE32, off) & 0xffff_ffffL;
            case 8 -> seg.get(LE64, off);
            default -> throw new IllegalArgumentException("access size " + size);
        };
    }

    /** A store of the low 1, 2, 4 or 8 bytes of {@code v} at {@code off}. Unchecked; see {@link #failure}. */
    public static void set(MemorySegment seg, long off, int size, long v) {
        switch (size) {
            case 1 -> seg.set(LE8, off, (byte) v);
            case 2 -> seg.set(LE16, off, (short) v);
            case 4 -> seg.set(LE32, off, (int) v);
            case 8 -> seg.set(LE64, off, v);
            default -> throw new IllegalArgumentException("access size " + size);
        }
    }

    /**
     * Why an access to guest RAM threw {@code t}, or null when {@code t} is not a failed guest access (a bug:
     * rethrow it). The JDK's exception types are shared with unrelated errors, so the messages decide.
     */
    public static Failure failure(Throwable t) {
        return switch (t) {
            case IllegalStateException e when "Already closed".equals(e.getMessage()) -> Failure.UNMAPPED;
            case InternalError e when String.valueOf(e.getMessage()).contains("unsafe memory access") -> Failure.HOST_FAULT;
            case IllegalArgumentException e when String.valueOf(e.getMessage()).contains("read-only") -> Failure.READ_ONLY;
            default -> null;
        };
    }

    /**
     * A checked load from guest-physical {@code addr} in region {@code r}: the one bounds check and the one
     * failure rule. @throws GuestMemoryException outside the region or when the access failed
     */
    public static long read(RamRegion r, long addr, int size) {
        if (!r.contains(addr, size)) throw new GuestMemoryException(addr, size, "not inside " + r.name());
        try {
            long v = get(r.segment(), addr - r.base(), size);
            if (mayFault(r)) deliverHostFault();
            return v;
        } catch (RuntimeException | InternalError e) {
            throw failed(addr, size, e);
        }
    }

    /** A checked store; a read-only region refuses it. @throws GuestMemoryException as {@link #read} */
    public static void write(RamRegion r, long addr, int size, long v) {
        if (!r.contains(addr, size)) throw new GuestMemoryException(addr, size, "not inside " + r.name());
        if (r.segment().isReadOnly()) throw new GuestMemoryException(addr, size, r.name() + " is " + Failure.READ_ONLY.reason());
        try {
            set(r.segment(), addr - r.base(), size, v);
            if (mayFault(r)) deliverHostFault();
        } catch (RuntimeException | InternalError e) {
            throw failed(addr, size, e);
        }
    }

    /**
     * File-backed regions (DAX windows, mapped file ranges) are the ones whose pages can raise SIGBUS (a CPU
     * keeps them off its primary fast path). Tmpfs-backed RAM ({@link TmpfsRam}) is not among them: it is made
     * only where the tmpfs has room for all of it, and a fault there after the tmpfs filled up is still caught
     * and classified (a guest store into such a page took a store access fault, and a device write a
     * HOST_FAULT, in a 24 MiB tmpfs: docs/startup.md, fifth pass).
     */
    public static boolean mayFault(RamRegion r) {
        return r.backing() instanceof DaxWindowMemory || r.backing() instanceof MappedFileRange;
    }

    private static final Object NO_LOCK = new Object();

    /**
     * Makes a SIGBUS of the access just done surface here, inside the caller's try. In compiled code HotSpot
     * does not throw the fault's InternalError at the faulting instruction: it records it and throws it at the
     * thread's next safepoint check, which after inlining can lie outside the try (and the fault would escape
     * as a bare InternalError). A call into a JNI native (Thread.holdsLock) returns through a thread-state
     * transition, which delivers the pending error. Only file-backed regions pay for it; device accesses to
     * them are rare (the CPU reaches a DAX window through its TLB, FUSE replies through bulk copies).
     */
    private static void deliverHostFault() {
        if (Thread.holdsLock(NO_LOCK)) throw new IllegalStateException("unreachable: nobody locks NO_LOCK");
    }

    /** {@code e} from an access to [addr, addr+len) as a GuestMemoryException; a bug (not a {@link Failure}) is rethrown. */
    public static GuestMemoryException failed(long addr, long len, Throwable e) {
        Failure f = failure(e);
        if (f == null) {
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            throw new IllegalStateException(e);
        }
        return new GuestMemoryException(addr, len, f.reason(), e);
    }
}
