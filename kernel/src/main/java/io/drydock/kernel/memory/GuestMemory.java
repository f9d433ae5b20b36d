package io.drydock.kernel.memory;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
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

    // Scalars: the bounds check here (region), the access and its failure rule in RamAccess, the one primitive.
    public int read8(long addr) { return (int) RamAccess.read(region(addr, 1), addr, 1); }

    public int read16(long addr) { return (int) RamAccess.read(region(addr, 2), addr, 2); }

    public int read32(long addr) { return (int) RamAccess.read(region(addr, 4), addr, 4); }

    public long read64(long addr) { return RamAccess.read(region(addr, 8), addr, 8); }

    public void write8(long addr, int value) { RamAccess.write(writable(addr, 1), addr, 1, value); }

    public void write16(long addr, int value) { RamAccess.write(writable(addr, 2), addr, 2, value); }

    public void write32(long addr, int value) { RamAccess.write(writable(addr, 4), addr, 4, value); }

    public void write64(long addr, long value) { RamAccess.write(writable(addr, 8), addr, 8, value); }

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

    // Bulk copies fail as scalars do (RamAccess says how: a region unmapped meanwhile, a SIGBUS on a truncated
    // DAX file page); anything else thrown is a bug and propagates.
    private static void run(long addr, long len, Runnable a) {
        try { a.run(); } catch (RuntimeException | InternalError e) { throw RamAccess.failed(addr, len, e); }
    }
}
