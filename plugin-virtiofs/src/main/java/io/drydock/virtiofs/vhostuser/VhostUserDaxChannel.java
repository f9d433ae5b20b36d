package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.vhostuser.VhostUserFsMessage.Entry;
import org.slf4j.Logger;
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
 * The DAX window of a vhost-user backend ({@code scripts/virtiofsd}): the window lives in the frontend's
 * process, so SETUPMAPPING and REMOVEMAPPING become FS_MAP / FS_UNMAP requests on the backend-request channel
 * ({@link VhostUserFsMessage}). SETUPMAPPING opens the file here, with the caller's credentials and the
 * passthrough's checks ({@code openForMapping}: read-only export, handle mode), and passes the descriptor;
 * the frontend checks the range against its window, maps it and answers an errno, which becomes the
 * request's.
 *
 * <p>Available (so INIT offers map_alignment, and the requests are not ENOSYS) only while a channel is
 * {@link #attach attached} with REPLY_ACK negotiated. What can be checked without the window is checked here,
 * before anything is sent: flags, alignment, overflow. A frontend that answers nonsense or goes away gets the
 * channel closed with a logged reason; requests then fail with EIO.
 *
 * <p>Thread-safe: request queues call at once; one request is on the channel at a time (send, then wait for
 * its reply). The vhost-user connection's thread attaches and detaches.
 */
public final class VhostUserDaxChannel implements DaxWindow {
    private static final Logger log = LoggerFactory.getLogger(VhostUserDaxChannel.class);

    private final long alignment;
    private final Object lock = new Object();
    private volatile UnixSocket channel; // writes guarded by lock
    private Arena arena;                 // guarded by lock
    private MemorySegment buf;           // guarded by lock

    /** @param mapAlignment log2 of the alignment INIT advertises (FuseServerConfig.mapAlignment) */
    public VhostUserDaxChannel(int mapAlignment) {
        if (mapAlignment < 12 || mapAlignment > 21) throw new IllegalArgumentException("map_alignment " + mapAlignment);
        this.alignment = 1L << mapAlignment;
    }

    /** SET_BACKEND_REQ_FD: from now on mappings go to {@code socket} (a previous channel is closed). */
    public void attach(UnixSocket socket) {
        synchronized (lock) {
            detachLocked();
            arena = Arena.ofShared();
            buf = arena.allocate(HEADER_SIZE + VhostUserFsMessage.SIZE, 8);
            channel = socket;
        }
    }

    /** The connection ended: no more mappings (a blocked request is woken and fails). */
    public void detach() {
        UnixSocket c = channel;
        if (c != null) c.shutdown(); // wakes a request waiting for its reply, which holds the lock
        synchronized (lock) { detachLocked(); }
    }

    private void detachLocked() {
        if (channel != null) {
            channel.shutdown();
            channel.close();
            channel = null;
        }
        if (arena != null) {
            arena.close();
            arena = null;
            buf = null;
        }
    }

    @Override public boolean available() { return channel != null; }

    @Override
    public void setupMapping(FuseContext ctx, long nodeid, FuseDax.SetupmappingIn r, FileOpener files) throws IOException {
        if ((r.flags() & ~(FuseDax.FLAG_READ | FuseDax.FLAG_WRITE)) != 0)
            throw new FuseException(Errno.EINVAL, "SETUPMAPPING flags 0x" + Long.toHexString(r.flags()));
        checkRange("SETUPMAPPING", r.moffset(), r.len());
        if (r.foffset() < 0 || r.foffset() % alignment != 0 || r.foffset() > Long.MAX_VALUE - r.len())
            throw new FuseException(Errno.EINVAL, "SETUPMAPPING foffset 0x" + Long.toHexString(r.foffset()));
        boolean writable = (r.flags() & FuseDax.FLAG_WRITE) != 0;
        long flags = VhostUserFsMessage.MAP_R | (writable ? VhostUserFsMessage.MAP_W : 0);
        int fd = files.open(nodeid, r.fh(), writable);
        try {
            request(BACKEND_FS_MAP, List.of(new Entry(r.foffset(), r.moffset(), r.len(), flags)), List.of(fd));
        } finally {
            Sys.closeQuietly(fd); // the frontend holds its own copy (SCM_RIGHTS) as long as it needs it
        }
    }

    @Override
    public void removeMapping(FuseContext ctx, List<FuseDax.RemovemappingOne> ranges) throws IOException {
        for (FuseDax.RemovemappingOne one : ranges) checkRange("REMOVEMAPPING", one.moffset(), one.len());
        List<Entry> batch = new ArrayList<>();
        for (FuseDax.RemovemappingOne one : ranges) {
            batch.add(new Entry(0, one.moffset(), one.len(), 0));
            if (batch.size() == VhostUserFsMessage.ENTRIES) {
                request(BACKEND_FS_UNMAP, batch, List.of());
                batch.clear();
            }
        }
        if (!batch.isEmpty()) request(BACKEND_FS_UNMAP, batch, List.of());
    }

    /** A window range: non-empty, aligned, no overflow (the window's end is the frontend's to check). */
    private void checkRange(String op, long moffset, long len) throws FuseException {
        if (len <= 0 || moffset < 0 || moffset > Long.MAX_VALUE - len)
            throw new FuseException(Errno.EINVAL, String.format("%s 0x%x+0x%x", op, moffset, len));
        if (moffset % alignment != 0 || len % alignment != 0)
            throw new FuseException(Errno.EINVAL, String.format("%s 0x%x+0x%x not aligned to 0x%x", op, moffset, len, alignment));
    }

    /** Sends one request with NEED_REPLY and waits for its u64 answer; a nonzero answer is the errno thrown. */
    private void request(int request, List<Entry> entries, List<Integer> fds) throws FuseException {
        synchronized (lock) {
            UnixSocket c = channel;
            if (c == null) throw new FuseException(Errno.ENOSYS, "no backend-request channel to the frontend");
            long status;
            try {
                buf.set(JAVA_INT_UNALIGNED, 0, request);
                buf.set(JAVA_INT_UNALIGNED, 4, VERSION | FLAG_NEED_REPLY);
                buf.set(JAVA_INT_UNALIGNED, 8, VhostUserFsMessage.SIZE);
                VhostUserFsMessage.encode(buf.asSlice(HEADER_SIZE), entries);
                c.send(buf, fds);
                MemorySegment head = buf.asSlice(0, HEADER_SIZE);
                if (!c.readFully(head)) throw new ErrnoException("recvmsg", Errno.EPIPE, "the frontend closed the backend-request channel");
                Header h = Header.decode(head);
                // vhost-user.rst "Header": a reply has REPLY set, the same request and (REPLY_ACK) a u64
                if (h.request() != request || (h.flags() & VERSION_MASK) != VERSION || (h.flags() & FLAG_REPLY) == 0 || h.size() != 8) {
                    log.warn("vhost-user: bad reply to {} on the backend-request channel (request {}, flags 0x{}, size {}): closing it",
                            VhostUserFsMessage.name(request), h.request(), Integer.toHexString(h.flags()), h.size());
                    detachLocked();
                    throw new FuseException(Errno.EIO, "bad reply from the frontend");
                }
                MemorySegment v = buf.asSlice(HEADER_SIZE, 8);
                if (!c.readFully(v)) throw new ErrnoException("recvmsg", Errno.EPIPE, "the frontend closed the backend-request channel");
                status = v.get(JAVA_LONG_UNALIGNED, 0);
            } catch (ErrnoException e) {
                log.warn("vhost-user: backend-request channel failed ({}): closing it", e.getMessage());
                detachLocked();
                throw new FuseException(Errno.EIO, "backend-request channel: " + e.getMessage());
            }
            if (status == 0) return;
            // a positive errno from our frontend; anything else (QEMU's branch sends -1) is EIO
            int errno = status > 0 && status < 4096 ? (int) status : Errno.EIO;
            throw new FuseException(errno, VhostUserFsMessage.name(request) + " refused by the frontend (" + status + ")");
        }
    }
}
