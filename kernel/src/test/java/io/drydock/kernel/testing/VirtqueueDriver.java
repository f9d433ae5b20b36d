package io.drydock.kernel.testing;

import io.drydock.kernel.memory.GuestMemory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver side of one split virtqueue (virtio 1.2 §2.7), played by a test in guest memory: lays out the
 * descriptor table, available and used rings, allocates buffers, adds chains (plain, chained, indirect),
 * publishes them, and reads the used ring. Raw descriptor and ring writes let tests build every malformed
 * case a hostile guest could. Single-threaded.
 */
public final class VirtqueueDriver {
    public static final int F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;

    /** A buffer to put in a chain. */
    public record Buf(long addr, int len, boolean writable) {
        public static Buf in(long addr, int len) { return new Buf(addr, len, false); }

        public static Buf out(long addr, int len) { return new Buf(addr, len, true); }
    }

    /** One used-ring element. */
    public record Used(int id, int len) {}

    private final GuestMemory memory;
    private final int size;
    private final long desc, avail, used;
    private long nextBuffer;
    private final long bufferEnd;
    private final Deque<Integer> free = new ArrayDeque<>();
    private final Map<Integer, List<Integer>> chains = new HashMap<>();
    private int availIdx;
    private int lastUsed;

    /**
     * @param ringBase   where the rings go (16-aligned); they take about 18·size + 12 bytes
     * @param bufferBase start of the area {@link #alloc} hands out
     */
    public VirtqueueDriver(GuestMemory memory, int size, long ringBase, long bufferBase, long bufferSize) {
        this.memory = memory;
        this.size = size;
        this.desc = ringBase;
        this.avail = desc + 16L * size;
        this.used = (avail + 6 + 2L * size + 3) & ~3L;
        this.nextBuffer = bufferBase;
        this.bufferEnd = bufferBase + bufferSize;
        memory.fill(desc, used + 6 + 8L * size - desc, (byte) 0);
        for (int i = 0; i < size; i++) free.add(i);
    }

    public int size() { return size; }

    public long descAddr() { return desc; }

    public long availAddr() { return avail; }

    public long usedAddr() { return used; }

    public GuestMemory memory() { return memory; }

    /** {@code len} bytes of buffer space, 16-aligned, zeroed. */
    public long alloc(int len) {
        long a = (nextBuffer + 15) & ~15L;
        if (a + len > bufferEnd) throw new IllegalStateException("test buffer area exhausted");
        nextBuffer = a + len;
        memory.fill(a, len, (byte) 0);
        return a;
    }

    /** A buffer holding {@code data}. */
    public long allocWith(byte[] data) {
        long a = alloc(data.length);
        memory.write(a, data);
        return a;
    }

    /** Writes descriptor {@code index} verbatim. */
    public void writeDesc(long table, int index, long addr, long len, int flags, int next) {
        long at = table + 16L * index;
        memory.write64(at, addr);
        memory.write32(at + 8, (int) len);
        memory.write16(at + 12, flags);
        memory.write16(at + 14, next);
    }

    public void writeDesc(int index, long addr, long len, int flags, int next) { writeDesc(desc, index, addr, len, flags, next); }

    /** Chains {@code bufs} through free descriptors; returns the head (not yet published). */
    public int addChain(List<Buf> bufs) {
        if (bufs.isEmpty() || bufs.size() > free.size()) throw new IllegalStateException("no room for " + bufs.size() + " descriptors");
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < bufs.size(); i++) ids.add(free.poll());
        for (int i = 0; i < bufs.size(); i++) {
            Buf b = bufs.get(i);
            boolean last = i == bufs.size() - 1;
            writeDesc(ids.get(i), b.addr(), b.len(), (b.writable() ? F_WRITE : 0) | (last ? 0 : F_NEXT), last ? 0 : ids.get(i + 1));
        }
        chains.put(ids.getFirst(), ids);
        return ids.getFirst();
    }

    /** Puts {@code bufs} in a new indirect table referenced by one descriptor; returns the head. */
    public int addIndirect(List<Buf> bufs) {
        long table = alloc(16 * bufs.size());
        for (int i = 0; i < bufs.size(); i++) {
            Buf b = bufs.get(i);
            boolean last = i == bufs.size() - 1;
            writeDesc(table, i, b.addr(), b.len(), (b.writable() ? F_WRITE : 0) | (last ? 0 : F_NEXT), last ? 0 : i + 1);
        }
        int head = free.poll();
        writeDesc(head, table, 16L * bufs.size(), F_INDIRECT, 0);
        chains.put(head, List.of(head));
        return head;
    }

    /** Takes descriptor {@code index} out of the free list (for hand-built chains). */
    public void reserve(int index) { free.remove(index); }

    /** Makes {@code head} available: ring entry, then (release) the new idx (virtio 1.2 §2.7.13). */
    public void publish(int head) {
        memory.write16(avail + 4 + 2L * (availIdx % size), head);
        java.lang.invoke.VarHandle.releaseFence();
        availIdx = (availIdx + 1) & 0xffff;
        memory.write16(avail + 2, availIdx);
    }

    /** addChain + publish. */
    public int add(Buf... bufs) {
        int head = addChain(List.of(bufs));
        publish(head);
        return head;
    }

    /** Sets avail->idx verbatim (index-jump tests). */
    public void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        memory.write16(avail + 2, availIdx);
    }

    public int availIdx() { return availIdx; }

    public int usedIdx() { return memory.read16(used + 2); }

    /** New used elements since the last call; their descriptors return to the free list. */
    public List<Used> pollUsed() {
        List<Used> out = new ArrayList<>();
        int idx = usedIdx();
        while (lastUsed != idx) {
            long e = used + 4 + 8L * (lastUsed % size);
            Used u = new Used(memory.read32(e), memory.read32(e + 4));
            out.add(u);
            List<Integer> ids = chains.remove(u.id());
            if (ids != null) free.addAll(ids);
            lastUsed = (lastUsed + 1) & 0xffff;
        }
        return out;
    }

    /** avail->flags bit 0: VIRTQ_AVAIL_F_NO_INTERRUPT. */
    public void setNoInterrupt(boolean on) { memory.write16(avail, on ? 1 : 0); }

    /** used_event (EVENT_IDX): interrupt me when used idx passes this. */
    public void setUsedEvent(int idx) { memory.write16(avail + 4 + 2L * size, idx); }

    /** avail_event (EVENT_IDX): the device wants a notification when avail idx passes this. */
    public int availEvent() { return memory.read16(used + 4 + 8L * size); }

    /** used->flags bit 0: VIRTQ_USED_F_NO_NOTIFY. */
    public boolean noNotify() { return (memory.read16(used) & 1) != 0; }

    /**
     * Whether a driver following virtio 1.2 §2.7.10 would notify after publishing up to {@code newIdx}
     * from {@code oldIdx}, given the device's suppression state.
     */
    public boolean shouldNotify(boolean eventIdx, int oldIdx, int newIdx) {
        if (!eventIdx) return !noNotify();
        int event = availEvent();
        return ((newIdx - event - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        memory.read(addr, b);
        return b;
    }
}
