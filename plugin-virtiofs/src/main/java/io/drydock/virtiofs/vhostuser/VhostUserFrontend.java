package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.memory.RamRegion;
import io.drydock.kernel.memory.SharedMemoryFile;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.drydock.virtiofs.vhostuser.VhostUserMessage.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The frontend side of vhost-user, as QEMU's {@code vhost-user-fs-pci} speaks it: Drydock's virtio-fs device
 * hands its queues to a backend process (QEMU's C virtiofsd or ours). Connects and negotiates at
 * construction (QEMU does at device realize); {@link #setMemTable} and {@link #startRing} at the guest's
 * DRIVER_OK; {@link #stopRing} at reset. Every call blocks for the backend's reply (REPLY_ACK when offered).
 * Thread-safety: calls are serialised on this object.
 */
public final class VhostUserFrontend implements AutoCloseable {
    /** The protocol features we use when the backend offers them. */
    private static final long WANTED_PROTOCOL = 1L << PROTOCOL_F_MQ | 1L << PROTOCOL_F_REPLY_ACK;
    /** With a DAX window, also the backend-request channel that carries FS_MAP (with its file) and FS_UNMAP. */
    private static final long DAX_PROTOCOL = 1L << PROTOCOL_F_BACKEND_REQ | 1L << PROTOCOL_F_BACKEND_SEND_FD;

    private final String path;
    private final UnixSocket socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buf = arena.allocate(HEADER_SIZE + MAX_PAYLOAD, 8);
    private final long features;
    private final long protocol;
    private final int queueNum;
    private List<RamRegion> table = List.of();
    private VhostUserDaxRequests daxRequests; // the backend-request channel, when the window is served

    private VhostUserFrontend(String path, UnixSocket socket, DaxRegion dax) throws IOException {
        this.path = path;
        this.socket = socket;
        features = getU64(GET_FEATURES);
        if ((features & 1L << F_PROTOCOL_FEATURES) != 0) {
            protocol = getU64(GET_PROTOCOL_FEATURES) & (WANTED_PROTOCOL | (dax != null ? DAX_PROTOCOL : 0));
            sendU64(SET_PROTOCOL_FEATURES, protocol, false);
        } else {
            protocol = 0;
        }
        queueNum = (protocol & 1L << PROTOCOL_F_MQ) != 0 ? (int) Math.min(getU64(GET_QUEUE_NUM), 1024) : 2;
        send(SET_OWNER, 0, List.of(), true);
        if (dax != null) daxChannel(dax);
    }

    /** Connects to the backend listening at {@code path} and negotiates. */
    public static VhostUserFrontend connect(String path) throws IOException { return connect(path, null); }

    /**
     * Connects and negotiates; with {@code dax} (the device's window, or null) the backend's FS_MAP/FS_UNMAP
     * are served into it when the backend offers the backend-request channel (else the device has the window
     * but its backend never maps: the guest reads with FUSE_READ).
     */
    public static VhostUserFrontend connect(String path, DaxRegion dax) throws IOException {
        UnixSocket s = UnixSocket.connect(path);
        try {
            return new VhostUserFrontend(path, s, dax);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * SET_BACKEND_REQ_FD (vhost-user.rst, as QEMU does at device realize): one end of a socket pair to the
     * backend, the other served by {@link VhostUserDaxRequests}. Needs BACKEND_REQ, BACKEND_SEND_FD and
     * REPLY_ACK: FS_MAP carries the file and waits for its answer.
     */
    private void daxChannel(DaxRegion dax) throws IOException {
        long need = DAX_PROTOCOL | 1L << PROTOCOL_F_REPLY_ACK;
        if ((protocol & need) != need) {
            LoggerFactory.getLogger(VhostUserFrontend.class).warn("vhost-user backend {} offers no backend-request channel "
                    + "(protocol features 0x{}): its DAX window stays empty", path, Long.toHexString(protocol));
            return;
        }
        UnixSocket[] pair = UnixSocket.pair();
        try {
            send(SET_BACKEND_REQ_FD, 0, List.of(pair[1].fd()), true);
        } catch (IOException | RuntimeException e) {
            pair[0].close();
            throw e;
        } finally {
            pair[1].close(); // the backend has its copy
        }
        daxRequests = VhostUserDaxRequests.start(path, pair[0], dax);
    }

    /** True when the backend maps into the DAX window (the backend-request channel is served). */
    public boolean servesDax() { return daxRequests != null && daxRequests.alive(); }

    public String path() { return path; }

    /** The backend's virtio features (GET_FEATURES), F_PROTOCOL_FEATURES included. */
    public long features() { return features; }

    /** The queues the backend serves (GET_QUEUE_NUM; 2 without MQ). */
    public int queueNum() { return queueNum; }

    /** SET_FEATURES: the driver's features, plus F_PROTOCOL_FEATURES when the backend offered it. */
    public synchronized void setFeatures(long driverFeatures) throws IOException {
        sendU64(SET_FEATURES, driverFeatures | (features & 1L << F_PROTOCOL_FEATURES), true);
    }

    /** SET_MEM_TABLE with every guest RAM region backed by a shared memory file (others cannot be shared). */
    public synchronized void setMemTable(List<RamRegion> regions) throws IOException {
        List<RamRegion> shared = new ArrayList<>();
        for (RamRegion r : regions) if (r.backing() instanceof SharedMemoryFile) shared.add(r);
        if (shared.isEmpty()) throw new IOException("vhost-user: no guest RAM on a shared memory file (MachineSpec.sharedRam)");
        if (shared.size() > MAX_REGIONS) throw new IOException("vhost-user: " + shared.size() + " RAM regions, at most " + MAX_REGIONS);
        MemorySegment p = payload();
        p.set(JAVA_INT_UNALIGNED, 0, shared.size());
        p.set(JAVA_INT_UNALIGNED, 4, 0);
        List<Integer> fds = new ArrayList<>();
        for (int i = 0; i < shared.size(); i++) {
            RamRegion r = shared.get(i);
            long o = 8 + 32L * i;
            p.set(JAVA_LONG_UNALIGNED, o, r.base());
            p.set(JAVA_LONG_UNALIGNED, o + 8, r.size());
            p.set(JAVA_LONG_UNALIGNED, o + 16, r.segment().address()); // our "user address" of the region
            p.set(JAVA_LONG_UNALIGNED, o + 24, 0);
            fds.add(((SharedMemoryFile) r.backing()).fd());
        }
        send(SET_MEM_TABLE, 8 + 32 * shared.size(), fds, true);
        table = List.copyOf(shared);
    }

    /**
     * Hands ring {@code index} (guest-physical desc/avail/used, {@code size} entries) to the backend, starting
     * at avail slot 0, with its kick and call eventfds, and enables it.
     */
    public synchronized void startRing(int index, int size, long desc, long avail, long used, int kickFd, int callFd)
            throws IOException {
        state(SET_VRING_NUM, index, size);
        state(SET_VRING_BASE, index, 0);
        MemorySegment p = payload();
        p.set(JAVA_INT_UNALIGNED, 0, index);
        p.set(JAVA_INT_UNALIGNED, 4, 0);
        p.set(JAVA_LONG_UNALIGNED, 8, userAddress(desc));
        p.set(JAVA_LONG_UNALIGNED, 16, userAddress(used));
        p.set(JAVA_LONG_UNALIGNED, 24, userAddress(avail));
        p.set(JAVA_LONG_UNALIGNED, 32, 0);
        send(SET_VRING_ADDR, 40, List.of(), true);
        payload().set(JAVA_LONG_UNALIGNED, 0, index);
        send(SET_VRING_CALL, 8, List.of(callFd), true);
        payload().set(JAVA_LONG_UNALIGNED, 0, index);
        send(SET_VRING_KICK, 8, List.of(kickFd), true);
        if ((features & 1L << F_PROTOCOL_FEATURES) != 0) state(SET_VRING_ENABLE, index, 1);
    }

    /** GET_VRING_BASE: the backend stops the ring; returns the avail slot it would resume at. */
    public synchronized int stopRing(int index) throws IOException {
        MemorySegment p = payload();
        p.set(JAVA_INT_UNALIGNED, 0, index);
        p.set(JAVA_INT_UNALIGNED, 4, 0);
        MemorySegment reply = call(GET_VRING_BASE, 8, 8);
        if (reply.get(JAVA_INT_UNALIGNED, 0) != index) throw new IOException("vhost-user: GET_VRING_BASE answered for vring " + reply.get(JAVA_INT_UNALIGNED, 0));
        return reply.get(JAVA_INT_UNALIGNED, 4);
    }

    private long userAddress(long gpa) throws IOException {
        for (RamRegion r : table) if (r.contains(gpa, 1)) return r.segment().address() + (gpa - r.base());
        throw new IOException("vhost-user: ring at 0x" + Long.toHexString(gpa) + " is not in shared guest RAM");
    }

    private void state(int request, int index, int num) throws IOException {
        MemorySegment p = payload();
        p.set(JAVA_INT_UNALIGNED, 0, index);
        p.set(JAVA_INT_UNALIGNED, 4, num);
        send(request, 8, List.of(), true);
    }

    private MemorySegment payload() { return buf.asSlice(HEADER_SIZE, MAX_PAYLOAD); }

    private long getU64(int request) throws IOException {
        return call(request, 0, 8).get(JAVA_LONG_UNALIGNED, 0);
    }

    private void sendU64(int request, long value, boolean ack) throws IOException {
        payload().set(JAVA_LONG_UNALIGNED, 0, value);
        send(request, 8, List.of(), ack);
    }

    /** Sends a message whose payload is in {@link #payload()}; waits for the REPLY_ACK when {@code ack} and negotiated. */
    private void send(int request, int size, List<Integer> fds, boolean ack) throws IOException {
        boolean needReply = ack && (protocol & 1L << PROTOCOL_F_REPLY_ACK) != 0;
        write(request, size, fds, needReply);
        if (needReply) {
            long status = readReply(request, 8).get(JAVA_LONG_UNALIGNED, 0);
            if (status != 0) throw new IOException("vhost-user backend " + path + " refused " + name(request) + " (status " + status + ")");
        }
    }

    private MemorySegment call(int request, int size, int replySize) throws IOException {
        write(request, size, List.of(), false);
        return readReply(request, replySize);
    }

    private void write(int request, int size, List<Integer> fds, boolean needReply) throws ErrnoException {
        buf.set(JAVA_INT_UNALIGNED, 0, request);
        buf.set(JAVA_INT_UNALIGNED, 4, VERSION | (needReply ? FLAG_NEED_REPLY : 0));
        buf.set(JAVA_INT_UNALIGNED, 8, size);
        socket.send(buf.asSlice(0, HEADER_SIZE + size), fds);
    }

    /** Reads the reply to {@code request}: the backend is checked as strictly as a frontend would be. */
    private MemorySegment readReply(int request, int size) throws IOException {
        MemorySegment head = buf.asSlice(0, HEADER_SIZE);
        if (!socket.readFully(head)) throw new IOException("vhost-user backend " + path + " closed the connection at " + name(request));
        Header h = Header.decode(head);
        if (h.request() != request || (h.flags() & FLAG_REPLY) == 0 || h.size() != size)
            throw new IOException("vhost-user backend " + path + ": bad reply to " + name(request) + ": request " + h.request()
                    + ", flags 0x" + Integer.toHexString(h.flags()) + ", size " + h.size());
        MemorySegment p = payload().asSlice(0, size);
        if (!socket.readFully(p)) throw new IOException("vhost-user backend " + path + " closed the connection in a reply");
        return p;
    }

    @Override public synchronized void close() {
        if (daxRequests != null) daxRequests.close();
        socket.shutdown();
        socket.close();
        arena.close();
    }
}
