package io.drydock.kernel.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Guest-physical memory as devices and tools see it: little-endian reads and writes of 8 to 64 bits and
 * bulk copies, over the machine's RAM regions. Every access is bounds-checked here, in {@link #region}, and
 * only here: an access that is not wholly inside one RAM region throws {@link GuestMemoryException}, as
 * does an access to a region unmapped meanwhile.
 *
 * <p>Thread-safe: any thread may read or write; the region set is swapped atomically by the machine's
 * memory map (see {@link Owner}), which alone can change it. Accesses are not atomic with respect to each
 * other beyond what the host guarantees for aligned 8-byte accesses.
 */
public final class GuestMemory {
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private volatile RamRegion[] regions = new RamRegion[0];

    private GuestMemory() {}

    /** The side that places regions: held by the memory map, never given to devices. */
    public static final class Owner {
        private final GuestMemory memory = new GuestMemory();

        public GuestMemory memory() { return memory; }

        /** Replaces the region set; regions must not overlap (the memory map checks that). */
        public void setRegions(List<RamRegion> regions) {
            memory.regions = regions.toArray(RamRegion[]::new);
        }
    }

    public static Owner newOwner() { return new Owner(); }

    /** The RAM regions now mapped, in no particular order. */
    public List<RamRegion> regions() { return List.of(regions); }

    /** The one bounds check: the region wholly containing [addr, addr+len), or a {@link GuestMemoryException}. */
    private RamRegion region(long addr, long len) {
        for (RamRegion r : regions) {
            if (r.contains(addr, len)) return r;
        }
        throw new GuestMemoryException(addr, len, len < 0 ? "negative length" : "not inside RAM");
    }

    /** {@link #region}, for a write: a read-only region (a read-only DAX mapping) is refused as well. */
    private RamRegion writable(long addr, long len) {
        RamRegion r = region(addr, len);
        if (r.segment().isReadOnly()) throw new GuestMemoryException(addr, len, r.name() + " is read-only");
        return r;
    }

    /** True when [addr, addr+len) lies wholly inside one RAM region. */
    public boolean isRam(long addr, long len) {
        for (RamRegion r : regions) if (r.contains(addr, len)) return true;
        return false;
    }

    public int read8(long addr) {
        RamRegion r = region(addr, 1);
        return access(addr, 1, () -> r.segment().get(ValueLayout.JAVA_BYTE, addr - r.base()) & 0xff);
    }

    public int read16(long addr) {
        RamRegion r = region(addr, 2);
        return access(addr, 2, () -> r.segment().get(LE16, addr - r.base()) & 0xffff);
    }

    public int read32(long addr) {
        RamRegion r = region(addr, 4);
        return access(addr, 4, () -> r.segment().get(LE32, addr - r.base()));
    }

    public long read64(long addr) {
        RamRegion r = region(addr, 8);
        return accessLong(addr, 8, () -> r.segment().get(LE64, addr - r.base()));
    }

    public void write8(long addr, int value) {
        RamRegion r = writable(addr, 1);
        run(addr, 1, () -> r.segment().set(ValueLayout.JAVA_BYTE, addr - r.base(), (byte) value));
    }

    public void write16(long addr, int value) {
        RamRegion r = writable(addr, 2);
        run(addr, 2, () -> r.segment().set(LE16, addr - r.base(), (short) value));
    }

    public void write32(long addr, int value) {
        RamRegion r = writable(addr, 4);
        run(addr, 4, () -> r.segment().set(LE32, addr - r.base(), value));
    }

    public void write64(long addr, long value) {
        RamRegion r = writable(addr, 8);
        run(addr, 8, () -> r.segment().set(LE64, addr - r.base(), value));
    }

    /** Copies {@code dst.length} bytes from guest memory at {@code addr}. */
    public void read(long addr, byte[] dst) { read(addr, MemorySegment.ofArray(dst), 0, dst.length); }

    /** Copies {@code src} into guest memory at {@code addr}. */
    public void write(long addr, byte[] src) { write(addr, MemorySegment.ofArray(src), 0, src.length); }

    /** Copies {@code dst.remaining()} bytes from guest memory into {@code dst}, advancing its position. */
    public void read(long addr, ByteBuffer dst) {
        int n = dst.remaining();
        read(addr, MemorySegment.ofBuffer(dst), 0, n);
        dst.position(dst.position() + n);
    }

    /** Copies {@code src.remaining()} bytes into guest memory, advancing its position. */
    public void write(long addr, ByteBuffer src) {
        int n = src.remaining();
        write(addr, MemorySegment.ofBuffer(src), 0, n);
        src.position(src.position() + n);
    }

    /** Copies {@code len} bytes from guest memory at {@code addr} into {@code dst} at {@code dstOffset}. */
    public void read(long addr, MemorySegment dst, long dstOffset, long len) {
        RamRegion r = region(addr, len);
        run(addr, len, () -> MemorySegment.copy(r.segment(), addr - r.base(), dst, dstOffset, len));
    }

    /** Copies {@code len} bytes from {@code src} at {@code srcOffset} into guest memory at {@code addr}. */
    public void write(long addr, MemorySegment src, long srcOffset, long len) {
        RamRegion r = writable(addr, len);
        run(addr, len, () -> MemorySegment.copy(src, srcOffset, r.segment(), addr - r.base(), len));
    }

    /** Sets {@code len} bytes at {@code addr} to {@code value}. */
    public void fill(long addr, long len, byte value) {
        RamRegion r = writable(addr, len);
        run(addr, len, () -> r.segment().asSlice(addr - r.base(), len).fill(value));
    }

    /**
     * A view of [addr, addr+len) for zero-copy host I/O (e.g. {@code pread} straight into a guest buffer).
     * Checked here; the view stays valid until its region is unmapped, after which using it throws
     * {@link IllegalStateException}. Do not keep it beyond the request it serves.
     */
    public MemorySegment slice(long addr, long len) {
        RamRegion r = region(addr, len);
        return r.segment().asSlice(addr - r.base(), len);
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("GuestMemory");
        for (RamRegion r : regions) sb.append("\n  ").append(r);
        return sb.toString();
    }

    // A region unmapped between the check and the access (DAX REMOVEMAPPING, machine teardown) makes the
    // JDK throw IllegalStateException; it is the guest's access that failed, not the host.
    private interface IntAccess { int get(); }
    private interface LongAccess { long get(); }

    // A DAX window page past the end of its host file (truncated under the mapping) raises SIGBUS, which the
    // JDK (25) reports as InternalError "a fault occurred in an unsafe memory access operation" on the
    // accessing thread: also the guest's failed access.
    private static int access(long addr, long len, IntAccess a) {
        try { return a.get(); } catch (IllegalStateException | InternalError e) { throw unmapped(addr, len, e); }
    }

    private static long accessLong(long addr, long len, LongAccess a) {
        try { return a.get(); } catch (IllegalStateException | InternalError e) { throw unmapped(addr, len, e); }
    }

    private static void run(long addr, long len, Runnable a) {
        try { a.run(); } catch (IllegalStateException | InternalError e) { throw unmapped(addr, len, e); }
    }

    private static GuestMemoryException unmapped(long addr, long len, Throwable e) {
        return new GuestMemoryException(addr, len, e instanceof InternalError
                ? "host fault (a mapped file page past its end)" : "region was unmapped", e);
    }
}
