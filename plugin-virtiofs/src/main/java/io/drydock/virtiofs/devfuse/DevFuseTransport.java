package io.drydock.virtiofs.devfuse;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.transport.FuseTransport;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link DevFuseMount} with a few platform threads, each blocking in {@code read(2)} on
 * /dev/fuse, handing the request to the {@link FuseServer} and writing the reply. Every thread owns a
 * native request buffer (max_write + headers; the kernel refuses reads into less) and a native reply
 * buffer, so READ data goes from the host file into the reply buffer by one pread and out by one write.
 * A thread ends when the connection does (ENODEV after unmount).
 */
public final class DevFuseTransport implements FuseTransport {
    private static final Logger LOG = LoggerFactory.getLogger(DevFuseTransport.class);

    private final DevFuseMount mount;
    private final FuseServer server;
    private final int threads;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean readaheadSet = new java.util.concurrent.atomic.AtomicBoolean();

    public DevFuseTransport(DevFuseMount mount, FuseServer server, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads " + threads);
        this.mount = mount;
        this.server = server;
        this.threads = threads;
    }

    @Override
    public synchronized void start() {
        for (int i = 0; i < threads; i++) {
            Thread t = Thread.ofPlatform().daemon().name("devfuse-" + i).unstarted(this::serve);
            workers.add(t);
            t.start();
        }
    }

    private void serve() {
        // per OS thread: only the capabilities serving needs, no supplementary groups (Credentials)
        io.drydock.virtiofs.passthrough.Credentials.dropCapabilities(io.drydock.virtiofs.passthrough.Credentials.SERVING_CAPS);
        long requestSize = Math.max(8192, server.config().maxRequestSize()); // fs/fuse/dev.c: FUSE_MIN_READ_BUFFER
        long replySize = 16 + (long) server.config().maxWrite() + 4096;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(requestSize, 4096);
            MemorySegment out = arena.allocate(replySize, 4096);
            SegmentSink sink = new SegmentSink(out);
            while (true) {
                long n;
                try {
                    n = Sys.read(mount.fd(), in);
                } catch (ErrnoException e) {
                    switch (e.errno()) {
                        // fs/fuse/dev.c: ENOENT = a request was interrupted before we read it; EINTR/EAGAIN retry
                        case Errno.ENOENT, Errno.EINTR, Errno.EAGAIN -> { continue; }
                        case Errno.ENODEV -> { return; } // unmounted, connection gone
                        default -> {
                            if (!closing) LOG.error("reading {} failed; this worker stops", "/dev/fuse", e);
                            return;
                        }
                    }
                }
                FuseOutcome outcome = server.handle(in.asSlice(0, n), sink);
                switch (outcome) {
                    case FuseOutcome.Replied r -> {
                        reply(out.asSlice(0, r.length()));
                        if (server.session() != null && readaheadSet.compareAndSet(false, true)
                                && !mount.setReadAheadKb(server.config().maxReadahead() / 1024))
                            LOG.info("could not raise the readahead of {} (stays at the kernel's default)", mount.mountpoint());
                    }
                    case FuseOutcome.NoReply x -> { }
                    case FuseOutcome.Dropped d -> LOG.warn("dropped a /dev/fuse request: {}", d.reason());
                }
            }
        }
    }

    private void reply(MemorySegment reply) {
        try {
            Sys.write(mount.fd(), reply);
        } catch (ErrnoException e) {
            // ENOENT: the request was interrupted and is gone (fs/fuse/dev.c fuse_dev_do_write)
            if (e.errno() != Errno.ENOENT && !closing) LOG.warn("writing a FUSE reply failed", e);
        }
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        for (Thread t : snapshot()) t.join();
    }

    private synchronized List<Thread> snapshot() { return List.copyOf(workers); }

    /**
     * Unmounts (lazily), waits up to 5 s for the workers to see the connection end, aborts the connection
     * if they do not (files still open on the mount), and closes /dev/fuse.
     */
    @Override
    public void close() {
        closing = true;
        try {
            mount.unmount();
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINVAL) LOG.warn("unmounting {} failed", mount.mountpoint(), e); // EINVAL: already gone
        }
        if (!joinAll(TimeUnit.SECONDS.toMillis(5))) {
            LOG.warn("{} still in use; aborting the FUSE connection", mount.mountpoint());
            mount.abort();
            joinAll(TimeUnit.SECONDS.toMillis(5));
        }
        mount.close();
    }

    private boolean joinAll(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        try {
            for (Thread t : snapshot()) t.join(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return snapshot().stream().noneMatch(Thread::isAlive);
    }
}
