package io.drydock.virtiofs.fuse.transport;

import io.drydock.kernel.memory.GuestMemory;
import io.drydock.kernel.virtio.DescriptorChain;
import io.drydock.kernel.virtio.Virtqueue;
import io.drydock.kernel.virtio.VirtqueueException;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * One virtio-fs queue served by a {@link FuseServer}: the loop shared by Drydock's in-process device (the
 * doorbell is the guest's notify write) and the vhost-user backend (the doorbell is the kick eventfd QEMU
 * signals). Each request's readable part is copied once into a host buffer (the guest cannot change a
 * request while it is decoded); the reply goes straight into the guest's writable buffers through
 * {@link GuestReplySink} — READ data moves from the host file into guest memory with one {@code preadv}.
 *
 * <p>Threads: with a worker, {@link #start} runs the loop on a platform thread that waits on the doorbell;
 * inline (no worker), {@link #kick} drains on the caller's thread. A guest error in a chain or a reply buffer
 * is reported through the queue (NEEDS_RESET in-process, a logged fault over vhost-user) and stops the queue.
 */
public final class VirtqueueTransport implements FuseTransport {
    private static final Logger log = LoggerFactory.getLogger(VirtqueueTransport.class);

    /** How the worker learns that the driver made buffers available. */
    public interface Doorbell {
        /** Blocks until rung (true) or closed (false). */
        boolean await();

        /** Rings it: the worker drains. Any thread. */
        void ring();

        /** Makes {@link #await} return false from now on. */
        void close();
    }

    /** What the transport's embedder (the in-process device, the vhost-user backend) decides. */
    public interface Hooks {
        /** Reports a device-side failure on the queue (NEEDS_RESET, or a logged fault) and returns the exception to unwind with. */
        VirtqueueException deviceError(String reason, Throwable cause);

        /** Runs first on the worker thread (per-thread settings such as dropped capabilities). */
        default void workerStarted() {}

        /** A request got no answer at all (no room even for a reply header). */
        default void dropped(String reason) { log.debug("request dropped: {}", reason); }
    }

    private final String name;
    private final Virtqueue queue;
    private final GuestMemory memory;
    private final FuseServer server;
    // Each transport has its own buffer in its own arena: a worker left stuck in the host kernel by a reset
    // frees it itself when it gets out, never while it still uses it.
    private final Arena arena = Arena.ofShared();
    /**
     * The request buffer: {@link #FIRST_BUFFER} bytes at first, the full {@link #bufferLimit} from the first
     * request that needs more (a large WRITE). FFM zeroes what it allocates with a Java loop, which a cold
     * JVM interprets: a whole 1 MiB buffer at the device's start took ~8 ms of the guest's boot. Used only by
     * the draining thread (the worker, or a caller holding this transport's lock).
     */
    private MemorySegment buffer;
    private final long bufferLimit;
    private final Doorbell doorbell;
    private final Lock memoryLock;
    private final Hooks hooks;
    private Thread worker;
    private volatile boolean closed;

    /** The request buffer's first size: every request but a large WRITE's fits (FUSE names are ≤ 4 KiB). */
    public static final long FIRST_BUFFER = 64 * 1024;

    /**
     * @param bufferSize  the request buffer (the server's largest request)
     * @param doorbell    null: inline, {@link #kick} drains on the caller's thread
     * @param memoryLock  held around each drain (the vhost-user memory table may be replaced meanwhile), or null
     */
    public VirtqueueTransport(String name, Virtqueue queue, GuestMemory memory, FuseServer server, long bufferSize,
                              Doorbell doorbell, Lock memoryLock, Hooks hooks) {
        this.name = name;
        this.queue = queue;
        this.memory = memory;
        this.server = server;
        this.bufferLimit = bufferSize;
        this.buffer = arena.allocate(Math.min(bufferSize, FIRST_BUFFER), 8);
        this.doorbell = doorbell;
        this.memoryLock = memoryLock;
        this.hooks = hooks;
    }

    public Virtqueue queue() { return queue; }

    @Override public synchronized void start() {
        // platform threads: fsuid/fsgid and capabilities are per OS thread
        if (doorbell != null && worker == null) worker = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /** The driver notified: drain now (inline) or wake the worker. */
    public void kick() {
        if (doorbell == null) {
            synchronized (this) { if (!closed) drain(); } // harts may notify one queue concurrently: one buffer
        } else {
            doorbell.ring();
        }
    }

    private void loop() {
        hooks.workerStarted();
        try {
            while (!closed && doorbell.await()) {
                if (!closed) drain();
            }
        } finally {
            arena.close();
        }
    }

    /** Handles every available chain; a failure puts the queue's device into its error state, never kills the worker. */
    private void drain() {
        if (memoryLock != null) memoryLock.lock();
        try {
            queue.drain(this::serve);
        } catch (VirtqueueException e) {
            // reported already; the worker waits for the reset
        } catch (RuntimeException | Error e) {
            log.warn("{}: queue {} failed", name, queue.index(), e);
            hooks.deviceError("virtio-fs queue " + queue.index() + " failed", e);
        } finally {
            if (memoryLock != null) memoryLock.unlock();
        }
    }

    @Override public void awaitTermination() throws InterruptedException {
        Thread w;
        synchronized (this) { w = worker; }
        if (w != null) w.join();
    }

    @Override public void close() { close(10_000); }

    /**
     * Stops the worker after the chain it is on, waiting at most {@code graceMillis}; returns false when the
     * worker is still in a request (stuck in the host kernel): it is left behind and frees its buffer when it
     * gets out.
     */
    public boolean close(long graceMillis) {
        closed = true;
        Thread w;
        synchronized (this) { w = worker; }
        if (w == null) {
            synchronized (this) { arena.close(); }
            return true;
        }
        doorbell.close();
        if (w == Thread.currentThread()) return true;
        try {
            w.join(graceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !w.isAlive();
    }

    /** One request: copy it in, let the server answer into the guest's buffers; returns the used length. */
    private long serve(DescriptorChain chain) {
        FuseOutcome outcome;
        try {
            // An oversize request is copied up to the limit; its header's len then disagrees with the bytes
            // given and the server answers EINVAL without looking further.
            long take = Math.min(chain.readableLength(), bufferLimit);
            if (take > buffer.byteSize()) buffer = arena.allocate(bufferLimit, 8);
            chain.reader().read(buffer, 0, take);
            GuestReplySink sink = new GuestReplySink(memory, chain.writable(), chain.writableLength());
            outcome = server.handle(buffer.asSlice(0, take), sink);
        } catch (VirtqueueException e) {
            throw e;
        } catch (RuntimeException | InternalError e) {
            // The request or reply buffers are not RAM (any more), or a page of them is a truncated file
            // mapped in the DAX window (SIGBUS, InternalError): a broken destination, not an errno.
            throw hooks.deviceError("FUSE request on queue " + queue.index() + " to or from a bad buffer", e);
        }
        return switch (outcome) {
            case FuseOutcome.Replied r -> r.length();
            case FuseOutcome.NoReply n -> 0;
            case FuseOutcome.Dropped d -> {
                hooks.dropped(d.reason());
                yield 0;
            }
        };
    }

    /** The in-process doorbell: a flag and park/unpark. */
    public static Doorbell parkingDoorbell() {
        return new Doorbell() {
            private final AtomicBoolean pending = new AtomicBoolean();
            private volatile boolean shut;
            private volatile Thread waiter;

            @Override public boolean await() {
                waiter = Thread.currentThread();
                while (!shut) {
                    if (pending.getAndSet(false)) return true;
                    LockSupport.park(this);
                }
                return false;
            }

            @Override public void ring() {
                pending.set(true);
                Thread w = waiter;
                if (w != null) LockSupport.unpark(w);
            }

            @Override public void close() {
                shut = true;
                Thread w = waiter;
                if (w != null) LockSupport.unpark(w);
            }
        };
    }
}
