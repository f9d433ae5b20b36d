package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Statx;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.sys.UnixSocket;
import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.dax.DaxRegion;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.vhostuser.VhostUserFsMessage.Entry;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.BadMessage;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.drydock.virtiofs.vhostuser.VhostUserMessage.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The frontend's end of the backend-request channel: serves a backend's FS_MAP and FS_UNMAP
 * ({@link VhostUserFsMessage}) into the device's DAX window — the same window code, policy and caps as
 * in-process DAX (plugin-dax's engine: ranges inside the window and aligned, only the file's pages mapped,
 * the VMA budget's ENOMEM), reached through {@link DaxRegion#window()}.
 *
 * <p>The backend is another process and its messages are hostile input, checked here: a malformed message
 * (header flags, size, descriptor count, flag bits, an unknown request) ends the channel with a logged
 * reason — the device goes on without DAX, its backend's next mapping fails and the guest falls back to
 * FUSE_READ; a well-formed request the window refuses (outside the window, misaligned, not a regular file, no
 * VMAs left) gets its errno as the reply. Nothing a backend sends reaches the JVM's own mappings.
 *
 * <p>One platform thread per channel, started by {@link #start}; {@link #close} (device shutdown) ends it.
 */
public final class VhostUserDaxRequests implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VhostUserDaxRequests.class);
    /** Distinct files remembered for merging adjacent mappings (ids are never reused; past this the table restarts). */
    private static final int MAX_FILES = 65_536;

    private final String name;
    private final UnixSocket channel;
    private final DaxRegion window;
    private final Thread thread;
    /** (dev, ino) of a mapped file → the number the window knows it by (its "nodeid": only equal files merge). */
    private final Map<List<Long>, Long> fileIds = new HashMap<>();
    private long nextFileId = 1;
    private volatile boolean closed;

    private VhostUserDaxRequests(String name, UnixSocket channel, DaxRegion window) {
        this.name = name;
        this.channel = channel;
        this.window = window;
        this.thread = Thread.ofPlatform().daemon().name("vhost-user-dax-" + name).unstarted(this::serve);
    }

    /** Serves {@code channel} (this object owns it now) into {@code window} until closed or a bad message. */
    public static VhostUserDaxRequests start(String name, UnixSocket channel, DaxRegion window) {
        VhostUserDaxRequests r = new VhostUserDaxRequests(name, channel, window);
        r.thread.start();
        return r;
    }

    /** True while the channel is served (false after a bad message or close). */
    public boolean alive() { return thread.isAlive(); }

    private void serve() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment head = a.allocate(HEADER_SIZE, 8);
            MemorySegment payload = a.allocate(VhostUserFsMessage.SIZE, 8);
            while (true) {
                UnixSocket.Received first = channel.receive(head);
                List<Integer> fds = new ArrayList<>(first.fds());
                try {
                    if (first.length() == 0) {
                        if (!closed) log.info("vhost-user {}: the backend closed the backend-request channel", name);
                        return;
                    }
                    if (first.length() < HEADER_SIZE && !channel.readFully(head.asSlice(first.length())))
                        throw new BadMessage("channel closed inside a message header");
                    Header h = Header.decode(head);
                    String what = VhostUserFsMessage.name(h.request());
                    // vhost-user.rst "Header": version 1; a request never has REPLY set
                    if ((h.flags() & VERSION_MASK) != VERSION || (h.flags() & ~(VERSION_MASK | FLAG_NEED_REPLY)) != 0)
                        throw new BadMessage(what + ": flags 0x" + Integer.toHexString(h.flags()));
                    if (h.request() != BACKEND_FS_MAP && h.request() != BACKEND_FS_UNMAP)
                        throw new BadMessage(what + " (" + Integer.toUnsignedString(h.size()) + " bytes): not supported");
                    if (h.size() != VhostUserFsMessage.SIZE)
                        throw new BadMessage(what + ": payload of " + Integer.toUnsignedString(h.size()) + " bytes, want " + VhostUserFsMessage.SIZE);
                    if (!channel.readFully(payload)) throw new BadMessage("channel closed inside a " + what + " payload");
                    List<Entry> entries = VhostUserFsMessage.decode(payload, h.size());
                    int want = h.request() == BACKEND_FS_MAP ? 1 : 0;
                    if (fds.size() != want) throw new BadMessage(what + " with " + fds.size() + " descriptors, want " + want);
                    int errno = h.request() == BACKEND_FS_MAP ? map(entries, fds.getFirst()) : unmap(entries);
                    if (h.needReply()) reply(h.request(), errno);
                    else if (errno != 0) log.warn("vhost-user {}: {} failed ({}), no reply asked", name, what, Errno.describe(errno));
                } catch (BadMessage e) {
                    log.warn("vhost-user {}: bad message on the backend-request channel, closing it: {}", name, e.getMessage());
                    return;
                } finally {
                    fds.forEach(Sys::closeQuietly);
                }
            }
        } catch (ErrnoException e) {
            if (!closed) log.warn("vhost-user {}: backend-request channel failed: {}", name, e.getMessage());
        } finally {
            channel.close();
        }
    }

    /** FS_MAP: each entry through the window's SETUPMAPPING policy; the first failure's errno (0: all mapped). */
    private int map(List<Entry> entries, int fd) {
        long fileId;
        try {
            Statx st = Sys.statx(fd);
            // a descriptor of a device, socket or pipe never reaches mmap
            if (!st.isRegular()) return Errno.EBADF;
            fileId = fileId(st.dev(), st.ino());
        } catch (ErrnoException e) {
            return e.errno();
        }
        for (Entry e : entries) {
            // flags: MAP_R must be set (a mapping is always readable); MAP_W maps the file shared and writable,
            // which the kernel allows only for a descriptor opened for writing (else EACCES)
            if ((e.flags() & VhostUserFsMessage.MAP_R) == 0) return Errno.EINVAL;
            long fuseFlags = FuseDax.FLAG_READ | ((e.flags() & VhostUserFsMessage.MAP_W) != 0 ? FuseDax.FLAG_WRITE : 0);
            // the window checks offset and length (aligned, inside the window, no overflow: u64 > 2^63 is negative here)
            FuseDax.SetupmappingIn in = new FuseDax.SetupmappingIn(-1, e.fdOffset(), e.len(), fuseFlags, e.cacheOffset());
            int errno = call(() -> window.window().setupMapping(context(fileId), fileId, in, (n, fh, writable) -> Sys.dup(fd)));
            if (errno != 0) return errno;
        }
        return 0;
    }

    /** FS_UNMAP: the ranges at once through REMOVEMAPPING's policy; {@code len == ~0} at offset 0 empties the window. */
    private int unmap(List<Entry> entries) {
        List<FuseDax.RemovemappingOne> ranges = new ArrayList<>();
        for (Entry e : entries) {
            if (e.len() == VhostUserFsMessage.WHOLE_WINDOW) {
                if (e.cacheOffset() != 0) return Errno.EINVAL;
                return call(window::removeAll);
            }
            ranges.add(new FuseDax.RemovemappingOne(e.cacheOffset(), e.len()));
        }
        return call(() -> window.window().removeMapping(context(0), ranges));
    }

    private interface WindowCall { void run() throws IOException; }

    private int call(WindowCall c) {
        try {
            c.run();
            return 0;
        } catch (IOException e) {
            log.debug("vhost-user {}: refused: {}", name, e.getMessage());
            return FuseException.errnoOf(e);
        } catch (RuntimeException e) {
            log.warn("vhost-user {}: the DAX window failed", name, e);
            return Errno.EIO;
        }
    }

    private static FuseContext context(long nodeid) { return new FuseContext(0, nodeid, 0, 0, 0); }

    private long fileId(long dev, long ino) {
        if (fileIds.size() >= MAX_FILES) fileIds.clear(); // ids keep counting up: a forgotten file only stops merging
        return fileIds.computeIfAbsent(List.of(dev, ino), k -> nextFileId++);
    }

    private void reply(int request, int errno) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(HEADER_SIZE + 8, 8);
            m.set(JAVA_INT_UNALIGNED, 0, request);
            m.set(JAVA_INT_UNALIGNED, 4, VERSION | FLAG_REPLY);
            m.set(JAVA_INT_UNALIGNED, 8, 8);
            m.set(JAVA_LONG_UNALIGNED, HEADER_SIZE, errno);
            channel.send(m, List.of());
        }
    }

    @Override public void close() {
        closed = true;
        channel.shutdown();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
