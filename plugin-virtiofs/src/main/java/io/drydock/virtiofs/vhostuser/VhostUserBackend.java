package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.memory.RamRegion;
import io.drydock.kernel.memory.SharedMemoryFile;
import io.drydock.kernel.metrics.MetricsRegistry;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.kernel.virtio.ExternalQueue;
import io.drydock.kernel.virtio.QueueMetrics;
import io.drydock.kernel.virtio.SplitQueueLayout;
import io.drydock.kernel.virtio.VirtioFeatures;
import io.drydock.kernel.virtio.VirtqueueException;
import io.drydock.kernel.virtio.VirtqueueFault;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.transport.VirtqueueTransport;
import io.drydock.virtiofs.passthrough.Credentials;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.BadMessage;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.Header;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.MemRegion;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.VringAddr;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.VringState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static io.drydock.virtiofs.vhostuser.VhostUserMessage.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The vhost-user backend of one connection: QEMU's {@code vhost-user-fs-pci} (the frontend) hands it the
 * guest's RAM (SET_MEM_TABLE, memfd descriptors mapped here), the vrings' places and eventfds, and the
 * backend serves the request queues with a {@link FuseServer} through the same {@link VirtqueueTransport}
 * as Drydock's in-process device, one worker thread per started ring.
 *
 * <p>Every field the frontend sends is hostile input, checked here once, in the handler of its message: a
 * bad message throws {@link BadMessage}, and {@link #serve} logs the reason and ends the connection (never
 * the process); the daemon then waits for the next one. The message loop runs on the calling thread.
 */
public final class VhostUserBackend {
    private static final Logger log = LoggerFactory.getLogger(VhostUserBackend.class);
    /** Rings served: hiprio + up to 15 request queues (GET_QUEUE_NUM). */
    public static final int MAX_QUEUES = 16;
    /** virtio 1.2 §2.7: split queues hold at most 32768 entries. */
    private static final int MAX_QUEUE_SIZE = SplitQueueLayout.MAX_SIZE;
    private static final long PAGE = 4096;

    static final long FEATURES = VirtioFeatures.bit(VirtioFeatures.VERSION_1) | VirtioFeatures.bit(VirtioFeatures.INDIRECT_DESC)
            | VirtioFeatures.bit(VirtioFeatures.EVENT_IDX) | 1L << F_PROTOCOL_FEATURES;
    /** BACKEND_REQ and BACKEND_SEND_FD carry the DAX window's FS_MAP/FS_UNMAP ({@link VhostUserDaxChannel}). */
    static final long PROTOCOL_FEATURES = 1L << PROTOCOL_F_MQ | 1L << PROTOCOL_F_REPLY_ACK | 1L << PROTOCOL_F_RESET_DEVICE
            | 1L << PROTOCOL_F_BACKEND_REQ | 1L << PROTOCOL_F_BACKEND_SEND_FD;

    private final FuseServer server;
    private final MetricsRegistry metrics;
    private final GuestMemory.Owner memory = GuestMemory.newOwner();
    private final ReentrantReadWriteLock memoryLock = new ReentrantReadWriteLock();
    private final List<SharedMemoryFile> backings = new ArrayList<>();
    private List<MemRegion> regions = List.of();
    private final VhostUserRing[] rings = new VhostUserRing[MAX_QUEUES];
    private final QueueMetrics[] queueMetrics = new QueueMetrics[MAX_QUEUES];
    private long features;
    private boolean featuresSet;
    private long protocolFeatures;
    private UnixSocket conn;
    private final VhostUserDaxChannel dax;
    private UnixSocket backendRequests; // SET_BACKEND_REQ_FD's socket while it is not the DAX channel's

    /** @param server serves this connection's FUSE session (a new connection is a new guest: give a fresh one) */
    public VhostUserBackend(FuseServer server, MetricsRegistry metrics) { this(server, null, metrics); }

    /**
     * @param dax the DAX window the server maps through (FS_MAP/FS_UNMAP to the frontend), or null for none;
     *            attached when the frontend hands over the backend-request channel
     */
    public VhostUserBackend(FuseServer server, VhostUserDaxChannel dax, MetricsRegistry metrics) {
        this.server = server;
        this.dax = dax;
        this.metrics = metrics;
        for (int i = 0; i < MAX_QUEUES; i++) rings[i] = new VhostUserRing(i);
    }

    /** Serves {@code conn} until the frontend closes it or sends a bad message; always cleans up, never throws. */
    public void serve(UnixSocket conn) {
        this.conn = conn;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment head = a.allocate(HEADER_SIZE, 8);
            MemorySegment payload = a.allocate(MAX_PAYLOAD, 8);
            while (true) {
                UnixSocket.Received first = conn.receive(head);
                List<Integer> fds = new ArrayList<>(first.fds());
                try {
                    if (first.length() == 0) {
                        log.info("vhost-user: the frontend closed the connection");
                        return;
                    }
                    if (first.length() < HEADER_SIZE && !conn.readFully(head.asSlice(first.length())))
                        throw new BadMessage("connection closed inside a message header");
                    Header h = Header.decode(head);
                    // vhost-user.rst "Header": version 1 in bits 0-1; a front-end never sets REPLY
                    if ((h.flags() & VERSION_MASK) != VERSION || (h.flags() & ~(VERSION_MASK | FLAG_NEED_REPLY)) != 0)
                        throw new BadMessage(name(h.request()) + ": flags 0x" + Integer.toHexString(h.flags()));
                    if (h.size() < 0 || h.size() > MAX_PAYLOAD)
                        throw new BadMessage(name(h.request()) + ": payload of " + Integer.toUnsignedString(h.size()) + " bytes");
                    if (h.size() > 0 && !conn.readFully(payload.asSlice(0, h.size())))
                        throw new BadMessage("connection closed inside a " + name(h.request()) + " payload");
                    Fds given = new Fds(fds);
                    boolean replied = handle(h, payload, given);
                    given.checkAllTaken(h.request());
                    if (!replied && h.needReply() && (protocolFeatures & 1L << PROTOCOL_F_REPLY_ACK) != 0) replyU64(h, 0);
                } catch (BadMessage e) {
                    log.warn("vhost-user: bad message, ending the connection: {}", e.getMessage());
                    return;
                } finally {
                    fds.forEach(Sys::closeQuietly); // descriptors no handler took
                }
            }
        } catch (ErrnoException e) {
            log.warn("vhost-user: connection failed: {}", e.getMessage());
        } finally {
            close();
        }
    }

    /** The descriptors of one message; handlers take exactly what their message carries. */
    private static final class Fds {
        private final List<Integer> fds;

        Fds(List<Integer> fds) { this.fds = fds; }

        int count() { return fds.size(); }

        /** Takes them all (the caller now owns them); the message must carry exactly {@code n}. */
        List<Integer> take(int n, String what) throws BadMessage {
            if (fds.size() != n) throw new BadMessage(what + " with " + fds.size() + " descriptors, want " + n);
            List<Integer> out = new ArrayList<>(fds);
            fds.clear();
            return out;
        }

        void checkAllTaken(int request) throws BadMessage {
            if (!fds.isEmpty()) throw new BadMessage(name(request) + " with " + fds.size() + " unexpected descriptors");
        }
    }

    /** Handles one message; returns true when it sent its own reply. */
    private boolean handle(Header h, MemorySegment p, Fds fds) throws BadMessage, ErrnoException {
        int size = h.size();
        switch (h.request()) {
            case GET_FEATURES -> { expectEmpty(h); replyU64(h, FEATURES); return true; }
            case SET_FEATURES -> {
                long f = u64Payload(p, size);
                if ((f & ~FEATURES) != 0) throw new BadMessage("SET_FEATURES 0x" + Long.toHexString(f) + " outside offered 0x" + Long.toHexString(FEATURES));
                features = f;
                featuresSet = true;
            }
            case SET_OWNER -> expectEmpty(h);
            case RESET_OWNER, RESET_DEVICE -> {
                expectEmpty(h);
                if (h.request() == RESET_DEVICE && !proto(PROTOCOL_F_RESET_DEVICE)) throw notNegotiated(h);
                for (VhostUserRing r : rings) r.reset();
                features = 0;
                featuresSet = false;
            }
            case GET_PROTOCOL_FEATURES -> { expectEmpty(h); replyU64(h, PROTOCOL_FEATURES); return true; }
            case SET_PROTOCOL_FEATURES -> {
                long f = u64Payload(p, size);
                if ((f & ~PROTOCOL_FEATURES) != 0) throw new BadMessage("SET_PROTOCOL_FEATURES 0x" + Long.toHexString(f) + " outside offered");
                protocolFeatures = f;
            }
            case GET_QUEUE_NUM -> {
                expectEmpty(h);
                if (!proto(PROTOCOL_F_MQ)) throw notNegotiated(h);
                replyU64(h, MAX_QUEUES);
                return true;
            }
            case SET_MEM_TABLE -> setMemTable(memTable(p, size), fds);
            case SET_VRING_NUM -> {
                VringState s = vringState(p, size);
                VhostUserRing r = stoppedRing(h, s.index());
                // virtio 1.2 §2.7: a power of 2, at most 32768
                if (s.num() <= 0 || s.num() > MAX_QUEUE_SIZE || Integer.bitCount(s.num()) != 1)
                    throw new BadMessage("SET_VRING_NUM " + s.num() + " for vring " + s.index());
                r.num = s.num();
            }
            case SET_VRING_ADDR -> {
                VringAddr a = vringAddr(p, size);
                VhostUserRing r = stoppedRing(h, a.index());
                if (a.flags() != 0) throw new BadMessage("SET_VRING_ADDR flags 0x" + Integer.toHexString(a.flags()) + " (dirty logging is not offered)");
                r.addr = a;
            }
            case SET_VRING_BASE -> {
                VringState s = vringState(p, size);
                VhostUserRing r = stoppedRing(h, s.index());
                if (s.num() < 0 || s.num() > 0xffff) throw new BadMessage("SET_VRING_BASE " + s.num() + " (split rings: a u16)");
                r.base = s.num();
            }
            case GET_VRING_BASE -> {
                VringState s = vringState(p, size);
                VhostUserRing r = ring(h, s.index());
                r.stop(); // vhost-user.rst: "stop a ring upon receiving GET_VRING_BASE"
                r.kickFd = VhostUserRing.replace(r.kickFd, -1);
                reply(h, 8, out -> {
                    out.set(JAVA_INT_UNALIGNED, 0, r.index);
                    out.set(JAVA_INT_UNALIGNED, 4, r.base);
                });
                return true;
            }
            case SET_VRING_KICK -> {
                VhostUserRing r = vringFd(h, p, size, fds, false);
                if (r != null) start(r);
            }
            case SET_VRING_CALL -> vringFd(h, p, size, fds, true);
            case SET_VRING_ERR -> vringFd(h, p, size, fds, true);
            case SET_VRING_ENABLE -> {
                VringState s = vringState(p, size);
                if ((features & 1L << F_PROTOCOL_FEATURES) == 0) throw notNegotiated(h);
                VhostUserRing r = ring(h, s.index());
                if (s.num() != 0 && s.num() != 1) throw new BadMessage("SET_VRING_ENABLE " + s.num());
                r.enabled = s.num() == 1;
                if (r.doorbell != null) r.doorbell.poke();
            }
            case SET_BACKEND_REQ_FD -> setBackendReqFd(h, fds);
            default -> throw new BadMessage(name(h.request()) + " (" + size + " bytes): not supported or not negotiated");
        }
        return false;
    }

    private boolean proto(int bit) { return (protocolFeatures & 1L << bit) != 0; }

    /**
     * SET_BACKEND_REQ_FD (vhost-user.rst): no payload, one socket descriptor. It becomes the DAX window's channel
     * when FS_MAP can work — BACKEND_SEND_FD (it carries the file) and REPLY_ACK (its answer) negotiated;
     * else it is only held (a frontend such as QEMU 7.2 offers the channel without a window), closed at the end.
     */
    private void setBackendReqFd(Header h, Fds fds) throws BadMessage {
        expectEmpty(h);
        if (!proto(PROTOCOL_F_BACKEND_REQ)) throw notNegotiated(h);
        int fd = fds.take(1, "SET_BACKEND_REQ_FD").getFirst();
        if (!isSocket(fd)) {
            Sys.closeQuietly(fd);
            throw new BadMessage("SET_BACKEND_REQ_FD: the descriptor is not a socket");
        }
        UnixSocket s = UnixSocket.adopt(fd);
        if (backendRequests != null) backendRequests.close();
        backendRequests = null;
        if (dax != null && proto(PROTOCOL_F_BACKEND_SEND_FD) && proto(PROTOCOL_F_REPLY_ACK)) {
            dax.attach(s);
            log.debug("vhost-user: DAX mappings go to the frontend over the backend-request channel");
        } else {
            if (dax != null) dax.detach();
            backendRequests = s;
        }
    }

    private static boolean isSocket(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("socket:[");
        } catch (IOException e) {
            return false;
        }
    }

    private static BadMessage notNegotiated(Header h) { return new BadMessage(name(h.request()) + " without its feature negotiated"); }

    private static void expectEmpty(Header h) throws BadMessage {
        if (h.size() != 0 && h.request() != SET_OWNER) throw new BadMessage(name(h.request()) + " with a " + h.size() + "-byte payload");
    }

    private VhostUserRing ring(Header h, int index) throws BadMessage {
        if (index < 0 || index >= MAX_QUEUES) throw new BadMessage(name(h.request()) + " for vring " + Integer.toUnsignedString(index) + " (0.." + (MAX_QUEUES - 1) + ")");
        return rings[index];
    }

    private VhostUserRing stoppedRing(Header h, int index) throws BadMessage {
        VhostUserRing r = ring(h, index);
        if (r.started()) throw new BadMessage(name(h.request()) + " for vring " + index + " while it runs");
        return r;
    }

    /** SET_VRING_KICK/CALL/ERR: {@code u64} index | NOFD, and one eventfd unless NOFD. Returns the ring. */
    private VhostUserRing vringFd(Header h, MemorySegment p, int size, Fds fds, boolean nofdAllowed) throws BadMessage {
        long v = u64Payload(p, size);
        if ((v & ~(VRING_IDX_MASK | VRING_NOFD_MASK)) != 0) throw new BadMessage(name(h.request()) + " 0x" + Long.toHexString(v));
        VhostUserRing r = ring(h, (int) (v & VRING_IDX_MASK));
        int fd = -1;
        if ((v & VRING_NOFD_MASK) != 0) {
            fds.take(0, name(h.request()) + " with NOFD");
            if (!nofdAllowed) throw new BadMessage("SET_VRING_KICK without a descriptor (polling rings are not supported)");
        } else {
            fd = fds.take(1, name(h.request())).getFirst();
            if (!isEventFd(fd)) {
                Sys.closeQuietly(fd);
                throw new BadMessage(name(h.request()) + " for vring " + r.index + ": the descriptor is not an eventfd");
            }
        }
        switch (h.request()) {
            case SET_VRING_KICK -> {
                r.stop(); // a new kick descriptor restarts the ring from where it stopped
                r.kickFd = VhostUserRing.replace(r.kickFd, fd);
            }
            case SET_VRING_CALL -> r.replaceCall(fd);
            default -> r.replaceErr(fd);
        }
        return r;
    }

    private static boolean isEventFd(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().equals("anon_inode:[eventfd]");
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts serving a ring whose size, addresses and kick descriptor are known. */
    private void start(VhostUserRing r) throws BadMessage, ErrnoException {
        if (r.num == 0 || r.addr == null) throw new BadMessage("SET_VRING_KICK for vring " + r.index + " before its size and addresses");
        if (!featuresSet) throw new BadMessage("SET_VRING_KICK for vring " + r.index + " before SET_FEATURES");
        // With F_PROTOCOL_FEATURES the ring starts disabled until SET_VRING_ENABLE 1; without, enabled.
        if ((features & 1L << F_PROTOCOL_FEATURES) == 0) r.enabled = true;
        SplitQueueLayout layout = new SplitQueueLayout(r.num, guestAddress(r, "descriptor table", r.addr.desc()),
                guestAddress(r, "available ring", r.addr.avail()), guestAddress(r, "used ring", r.addr.used()));
        if (queueMetrics[r.index] == null) queueMetrics[r.index] = QueueMetrics.register(metrics, "vhost-user-fs", r.index);
        VhostUserRing.KickDoorbell bell = r.new KickDoorbell(r.kickFd);
        ExternalQueue q;
        try {
            q = ExternalQueue.start(r.index, layout, MAX_QUEUE_SIZE, memory.memory(), features, r.base, new ExternalQueue.Signals() {
                @Override public void interrupt(int queue) { r.interrupt(); }

                @Override public void fault(VirtqueueFault fault) {
                    log.warn("vhost-user: vring {} stopped: {}", r.index, fault);
                    r.signalError();
                }
            }, queueMetrics[r.index]);
        } catch (VirtqueueException e) {
            bell.release();
            throw new BadMessage("vring " + r.index + ": " + e.fault());
        }
        VirtqueueTransport t = new VirtqueueTransport("vhost-user-fs-q" + r.index, q.queue(), memory.memory(), server,
                server.config().maxRequestSize(), bell, memoryLock.readLock(), new VirtqueueTransport.Hooks() {
                    @Override public VirtqueueException deviceError(String reason, Throwable cause) {
                        return q.deviceError(cause == null ? reason : reason + ": " + cause);
                    }

                    @Override public void workerStarted() {
                        Credentials.dropCapabilities(Credentials.SERVING_CAPS); // only what serving FUSE needs, on this thread
                    }
                });
        r.queue = q;
        r.transport = t;
        r.doorbell = bell;
        t.start();
    }

    /** A frontend user address of a ring part as a guest-physical address, through the memory table. */
    private long guestAddress(VhostUserRing r, String what, long userAddr) throws BadMessage {
        for (MemRegion m : regions) {
            if (Long.compareUnsigned(userAddr, m.userAddr()) >= 0 && Long.compareUnsigned(userAddr - m.userAddr(), m.size()) < 0)
                return m.guestPhysAddr() + (userAddr - m.userAddr());
        }
        throw new BadMessage("vring " + r.index + " " + what + " at user address 0x" + Long.toHexString(userAddr) + " outside the memory table");
    }

    /** SET_MEM_TABLE: checks every region, maps the descriptors, then swaps the table under the memory lock. */
    private void setMemTable(List<MemRegion> table, Fds fds) throws BadMessage {
        List<Integer> given = fds.take(table.size(), "SET_MEM_TABLE of " + table.size() + " regions");
        List<SharedMemoryFile> mapped = new ArrayList<>();
        List<RamRegion> ram = new ArrayList<>();
        try {
            for (int i = 0; i < table.size(); i++) {
                MemRegion m = table.get(i);
                int fd = given.get(i);
                String what = "SET_MEM_TABLE region " + i;
                if (m.size() <= 0 || m.size() % PAGE != 0) throw new BadMessage(what + ": size 0x" + Long.toHexString(m.size()));
                if (m.guestPhysAddr() < 0 || m.guestPhysAddr() > Long.MAX_VALUE - m.size()) throw new BadMessage(what + ": guest address 0x" + Long.toHexString(m.guestPhysAddr()) + " + size overflows");
                if (Long.compareUnsigned(m.userAddr(), -1L - m.size()) > 0) throw new BadMessage(what + ": user address + size overflows");
                if (m.mmapOffset() < 0 || m.mmapOffset() > Long.MAX_VALUE - m.size()) throw new BadMessage(what + ": mmap offset 0x" + Long.toHexString(m.mmapOffset()));
                for (int j = 0; j < i; j++) {
                    MemRegion o = table.get(j);
                    if (m.guestPhysAddr() < o.guestPhysAddr() + o.size() && o.guestPhysAddr() < m.guestPhysAddr() + m.size())
                        throw new BadMessage(what + " overlaps region " + j + " in guest-physical space");
                }
                long fileSize;
                try {
                    fileSize = Sys.statx(fd).size();
                } catch (ErrnoException e) {
                    throw new BadMessage(what + ": " + e.getMessage());
                }
                // Pages past the end of the file would fault (SIGBUS) in this process on first touch.
                if (fileSize < m.mmapOffset() + m.size())
                    throw new BadMessage(what + ": file of " + fileSize + " bytes, region ends at " + (m.mmapOffset() + m.size()));
                SharedMemoryFile f;
                try {
                    f = SharedMemoryFile.adopt("vhost-user region " + i, fd, m.mmapOffset(), m.size());
                } catch (IOException | RuntimeException e) {
                    throw new BadMessage(what + ": " + e.getMessage());
                } finally {
                    given.set(i, -1); // adopt owns it now, also when it failed
                }
                mapped.add(f);
                ram.add(new RamRegion("vhost-user region " + i, m.guestPhysAddr(), f));
            }
        } catch (BadMessage e) {
            mapped.forEach(SharedMemoryFile::close);
            for (int fd : given) if (fd >= 0) Sys.closeQuietly(fd);
            throw e;
        }
        List<SharedMemoryFile> old;
        memoryLock.writeLock().lock(); // no worker is inside a drain while the table changes
        try {
            memory.setRegions(ram);
            regions = List.copyOf(table);
            old = List.copyOf(backings);
            backings.clear();
            backings.addAll(mapped);
        } finally {
            memoryLock.writeLock().unlock();
        }
        old.forEach(SharedMemoryFile::close);
        log.debug("vhost-user: memory table of {} regions", table.size());
    }

    private interface Filler { void fill(MemorySegment out); }

    private void reply(Header h, int size, Filler filler) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(HEADER_SIZE + size, 8);
            m.set(JAVA_INT_UNALIGNED, 0, h.request());
            m.set(JAVA_INT_UNALIGNED, 4, VERSION | FLAG_REPLY);
            m.set(JAVA_INT_UNALIGNED, 8, size);
            filler.fill(m.asSlice(HEADER_SIZE));
            conn.send(m, List.of());
        }
    }

    private void replyU64(Header h, long value) throws ErrnoException {
        reply(h, 8, out -> out.set(JAVA_LONG_UNALIGNED, 0, value));
    }

    /** Stops every ring, unmaps the guest's memory, closes every descriptor. */
    private void close() {
        if (dax != null) dax.detach(); // wakes a request waiting for the frontend's answer
        for (VhostUserRing r : rings) r.reset();
        memoryLock.writeLock().lock();
        try {
            memory.setRegions(List.of());
            backings.forEach(SharedMemoryFile::close);
            backings.clear();
            regions = List.of();
        } finally {
            memoryLock.writeLock().unlock();
        }
        if (backendRequests != null) backendRequests.close();
        if (conn != null) conn.close();
    }
}
