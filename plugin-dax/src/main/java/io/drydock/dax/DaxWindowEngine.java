package io.drydock.dax;

import io.drydock.kernel.bus.BusRegion;
import io.drydock.kernel.bus.MemoryMap;
import io.drydock.kernel.memory.DaxWindowMemory;
import io.drydock.kernel.memory.MemoryBacking;
import io.drydock.kernel.memory.RamRegion;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.metrics.Counter;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The DAX window of one virtio-fs device: its reserved host memory ({@link DaxWindowMemory}), the table of
 * live mappings, and its placement in the guest-physical address space.
 *
 * <p>Policy (virtio 1.2 §5.11.6.5, fuse.h fuse_setupmapping_in):
 * <ul>
 *   <li>moffset, foffset and len must be multiples of 2^map_alignment (the host page, 12) and len &gt; 0, the
 *       range inside the window, flags only READ|WRITE: else EINVAL.</li>
 *   <li>{@code fh == -1} maps by nodeid (Linux); else the handle's open mode bounds the mapping (EACCES).</li>
 *   <li>flag WRITE maps the file shared read-write: guest stores reach the host file. Without it the range is
 *       mapped private: loads see the file, a stray guest store stays in a private copy (never reaches the
 *       file, never faults). A read-only export refuses WRITE with EROFS.</li>
 *   <li>Only the file's pages up to its size (rounded up to a page) are mapped; the rest of the range reads
 *       zero, so no page wholly past the end of the file is ever mapped. A file the host truncates under a
 *       live mapping makes those pages fault: the guest's access fails (GuestMemory/the bus report a fault,
 *       a hart takes a load/store access fault); the JVM is unaffected.</li>
 *   <li>A mapping over live ones replaces what it covers, splitting mappings that stick out; REMOVEMAPPING
 *       puts zero pages back at once (no garbage collector involved).</li>
 *   <li>Bounds (issue #11 finding 2): a new mapping that continues a live one of the same inode (window and
 *       file offsets both contiguous, same flags, both wholly in the file) is merged with it into one host
 *       mapping, so a guest mapping a file page by page costs one VMA. At most {@link #maxMappings()} live
 *       mappings per window — the window's pages, bounded by the process's share of
 *       {@code vm.max_map_count} ({@link MapCountBudget}): past it SETUPMAPPING answers ENOMEM and the
 *       guest reclaims ranges, the JVM never runs out of VMAs.</li>
 * </ul>
 * Thread-safe: request queues map and unmap concurrently; the table and the host mappings change together
 * under one lock. Host descriptors are opened outside it and closed as soon as the range is mapped.
 */
public final class DaxWindowEngine implements DaxRegion, DaxWindow {
    private final String tag;
    private final DaxWindowMemory memory;
    private final MemoryMap memoryMap;
    private final long alignment;
    private final MappingTable table = new MappingTable();
    private final Object lock = new Object();
    private final Counter mapsTotal, unmapsTotal, removeRequests, refused;
    private final MapCountBudget budget;
    private final long maxMappings;
    private RamRegion placed; // guarded by lock

    DaxWindowEngine(String tag, long size, int mapAlignment, MemoryMap memoryMap, MetricsRegistry metrics) throws IOException {
        this(tag, size, mapAlignment, memoryMap, metrics, MapCountBudget.PROCESS);
    }

    DaxWindowEngine(String tag, long size, int mapAlignment, MemoryMap memoryMap, MetricsRegistry metrics,
                    MapCountBudget budget) throws IOException {
        if (mapAlignment < 12 || mapAlignment > 21 || 1L << mapAlignment < DaxWindowMemory.PAGE_SIZE) {
            // fuse.h / Linux fs/fuse/dax.c: the guest refuses map_alignment above 21 (its 2 MiB ranges)
            throw new IllegalArgumentException("map_alignment " + mapAlignment + " must be 12..21 and at least the host page");
        }
        this.tag = tag;
        this.alignment = 1L << mapAlignment;
        this.memoryMap = memoryMap;
        this.memory = MemoryBacking.daxWindow(size);
        this.budget = budget;
        this.maxMappings = Math.min(size / alignment, budget.total());
        String p = "dax." + tag + ".";
        metrics.gauge(p + "mappings", "live DAX mappings", this::mappingCount);
        metrics.gauge(p + "bytesMapped", "window bytes covered by live mappings", this::bytesMapped);
        mapsTotal = metrics.counter(p + "mapsTotal", "SETUPMAPPINGs done");
        unmapsTotal = metrics.counter(p + "unmapsTotal", "ranges removed by REMOVEMAPPING");
        removeRequests = metrics.counter(p + "removeRequests", "REMOVEMAPPING requests (the guest's evictions)");
        refused = metrics.counter(p + "refused", "SETUPMAPPING/REMOVEMAPPING requests answered with an error");
    }

    // ---- DaxWindow: the FUSE server's hook ----

    @Override
    public void setupMapping(FuseContext ctx, long nodeid, FuseDax.SetupmappingIn r, FileOpener files) throws IOException {
        try {
            if ((r.flags() & ~(FuseDax.FLAG_READ | FuseDax.FLAG_WRITE)) != 0)
                throw new FuseException(Errno.EINVAL, "SETUPMAPPING flags 0x" + Long.toHexString(r.flags()));
            checkRange("SETUPMAPPING", r.moffset(), r.len());
            if (r.foffset() < 0 || r.foffset() % alignment != 0 || r.foffset() > Long.MAX_VALUE - r.len())
                throw new FuseException(Errno.EINVAL, "SETUPMAPPING foffset 0x" + Long.toHexString(r.foffset()) + " not aligned to " + alignment);
            boolean writable = (r.flags() & FuseDax.FLAG_WRITE) != 0;
            int fd = files.open(nodeid, r.fh(), writable);
            try {
                long size = Sys.statx(fd).size();
                long page = DaxWindowMemory.PAGE_SIZE;
                long inFile = size <= r.foffset() ? 0 : Math.min(r.len(), (size - r.foffset() + page - 1) / page * page);
                DaxMapping m = new DaxMapping(r.moffset(), r.len(), r.foffset(), inFile, r.flags(), writable, nodeid, pathOf(fd));
                long fileEnd = (size + page - 1) / page * page;
                synchronized (lock) {
                    // a replace can split one mapping in two around the new one: at most 2 more entries
                    if (table.size() + 2 > maxMappings || !budget.tryTake(2))
                        throw new FuseException(Errno.ENOMEM, "DAX window " + tag + ": " + table.size() + " mappings live, the cap is "
                                + maxMappings + " (window pages and vm.max_map_count); remove some first");
                    int before = table.size();
                    try {
                        DaxMapping u = merged(m, fileEnd);
                        if (u != m) {
                            memory.mapFile(u.moffset(), u.length(), fd, u.foffset(), writable);
                        } else {
                            if (inFile > 0) memory.mapFile(r.moffset(), inFile, fd, r.foffset(), writable);
                            if (inFile < r.len()) memory.zero(r.moffset() + inFile, r.len() - inFile);
                        }
                        table.replace(u);
                    } finally {
                        long grew = table.size() - before;
                        if (grew < 2) budget.give(2 - grew); // what it did not take, or what it freed
                    }
                }
                mapsTotal.increment();
            } finally {
                Sys.closeQuietly(fd);
            }
        } catch (IOException | RuntimeException e) {
            refused.increment();
            throw e;
        }
    }

    @Override
    public void removeMapping(FuseContext ctx, List<FuseDax.RemovemappingOne> ranges) throws IOException {
        removeRequests.increment();
        try {
            for (FuseDax.RemovemappingOne one : ranges) checkRange("REMOVEMAPPING", one.moffset(), one.len());
        } catch (FuseException e) {
            refused.increment();
            throw e;
        }
        synchronized (lock) {
            int before = table.size();
            try {
                for (FuseDax.RemovemappingOne one : ranges) {
                    memory.zero(one.moffset(), one.len());
                    table.cut(one.moffset(), one.moffset() + one.len());
                }
            } finally {
                budget.give(before - table.size()); // a cut in the middle of a mapping may add one: taken anyway
            }
        }
        unmapsTotal.add(ranges.size());
    }

    /**
     * {@code m} joined with the live mappings right before and after it when they continue it in the same
     * file with the same flags and all of it lies in the file (no page past its end): one host mapping then
     * covers the union. Returns {@code m} itself when nothing joins.
     */
    private DaxMapping merged(DaxMapping m, long fileEnd) {
        if (m.backed() != m.length()) return m;
        DaxMapping u = m;
        DaxMapping prev = table.endingAt(m.moffset());
        if (continues(prev, m)) u = new DaxMapping(prev.moffset(), prev.length() + u.length(), prev.foffset(),
                prev.length() + u.length(), m.flags(), m.writable(), m.nodeid(), m.file());
        DaxMapping next = table.startingAt(m.end());
        if (continues(m, next) && next.foffset() + next.length() <= fileEnd)
            u = new DaxMapping(u.moffset(), u.length() + next.length(), u.foffset(), u.length() + next.length(),
                    m.flags(), m.writable(), m.nodeid(), m.file());
        return u;
    }

    private static boolean continues(DaxMapping a, DaxMapping b) {
        return a != null && b != null && a.nodeid() == b.nodeid() && a.flags() == b.flags() && a.writable() == b.writable()
                && a.backed() == a.length() && b.backed() == b.length() && a.foffset() + a.length() == b.foffset();
    }

    /** The most live mappings this window holds (ENOMEM beyond). */
    public long maxMappings() { return maxMappings; }

    /** Every window range a guest names: aligned, non-empty, inside the window (virtio 1.2 §5.11.6.5). */
    private void checkRange(String op, long moffset, long len) throws FuseException {
        long size = memory.size();
        if (len <= 0 || moffset < 0 || len > size || moffset > size - len)
            throw new FuseException(Errno.EINVAL, String.format("%s 0x%x+0x%x outside the %s window", op, moffset, len, Sizes.format(size)));
        if (moffset % alignment != 0 || len % alignment != 0)
            throw new FuseException(Errno.EINVAL, String.format("%s 0x%x+0x%x not aligned to 0x%x", op, moffset, len, alignment));
    }

    private static String pathOf(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "fd:" + fd;
        }
    }

    // ---- DaxRegion: the device's side ----

    @Override public long size() { return memory.size(); }

    @Override public DaxWindow window() { return this; }

    @Override public void place(OptionalLong guestBase) {
        synchronized (lock) {
            if (placed != null) {
                RamRegion was = placed;
                placed = null;
                memoryMap.detach(new BusRegion.Ram(was)); // detach: the window's memory and mappings stay
            }
            if (guestBase.isPresent()) placed = memoryMap.addRam("virtio-fs " + tag + " dax", guestBase.getAsLong(), memory);
        }
    }

    /** Where the window is in guest-physical space now, or empty. */
    public OptionalLong guestBase() {
        synchronized (lock) { return placed == null ? OptionalLong.empty() : OptionalLong.of(placed.base()); }
    }

    @Override public void removeAll() {
        synchronized (lock) {
            if (table.size() == 0) return;
            try {
                memory.zero(0, memory.size());
            } catch (IOException e) {
                throw new IllegalStateException("DAX window " + tag + ": cannot put zero pages back", e);
            }
            budget.give(table.size());
            table.clear();
        }
    }

    @Override public void close() {
        synchronized (lock) {
            if (placed != null) memoryMap.detach(new BusRegion.Ram(placed));
            placed = null;
            budget.give(table.size());
            table.clear();
            memory.close();
        }
    }

    // ---- inspection ----

    /** The live mappings, by window offset. */
    public List<DaxMapping> mappings() { synchronized (lock) { return table.list(); } }

    public long mappingCount() { synchronized (lock) { return table.size(); } }

    public long bytesMapped() { synchronized (lock) { return table.bytes(); } }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        synchronized (lock) {
            sb.append("dax window ").append(tag).append(' ').append(Sizes.format(memory.size()))
                    .append(placed == null ? " (not placed)" : String.format(" at 0x%x", placed.base()))
                    .append(": ").append(table.size()).append(" mappings, ").append(Sizes.format(table.bytes())).append(" mapped");
            for (DaxMapping m : table.list()) sb.append("\n  ").append(m);
        }
        sb.append(String.format("%n  maps %d, unmaps %d (in %d REMOVEMAPPINGs), refused %d", mapsTotal.get(),
                unmapsTotal.get(), removeRequests.value(), refused.value()));
        return sb.toString();
    }
}
