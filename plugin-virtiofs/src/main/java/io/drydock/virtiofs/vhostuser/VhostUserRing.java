package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.EventFd;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.virtio.ExternalQueue;
import io.drydock.virtiofs.fuse.transport.VirtqueueTransport;

/**
 * One vring as the frontend configured it (SET_VRING_NUM/ADDR/BASE/KICK/CALL/ERR/ENABLE) and, once started,
 * the {@link ExternalQueue} and {@link VirtqueueTransport} serving it. Configuration is written only by the
 * connection thread; the worker signals {@link #callFd} and {@link #errFd}, which the frontend may replace
 * while the ring runs (QEMU sends SET_VRING_CALL again right after starting a device), so a signal and a
 * replacement exclude each other: the old descriptor is closed only when no signal is on its way to it. The
 * worker waits on the kick eventfd through {@link KickDoorbell}.
 */
final class VhostUserRing {
    final int index;
    int num;                               // 0 until SET_VRING_NUM
    VhostUserMessage.VringAddr addr;       // null until SET_VRING_ADDR
    int base;                              // SET_VRING_BASE: the next avail slot
    int kickFd = -1;
    private int callFd = -1;               // guarded by signals
    private int errFd = -1;                // guarded by signals
    private final Object signals = new Object();
    volatile boolean enabled;
    ExternalQueue queue;                   // non-null while started
    VirtqueueTransport transport;
    KickDoorbell doorbell;

    VhostUserRing(int index) { this.index = index; }

    boolean started() { return queue != null; }

    /** Stops the worker after its current chain and remembers where to resume; the kick descriptor stays. */
    void stop() {
        if (queue == null) return;
        transport.close();
        queue.stop();
        base = queue.nextAvail();
        doorbell.release();
        queue = null;
        transport = null;
        doorbell = null;
    }

    /** Stops and forgets everything (RESET_OWNER, the connection ending). */
    void reset() {
        stop();
        kickFd = replace(kickFd, -1);
        replaceCall(-1);
        replaceErr(-1);
        num = 0;
        addr = null;
        base = 0;
        enabled = false;
    }

    /** Sets a descriptor field's new value and closes the old one. */
    static int replace(int old, int fresh) {
        if (old >= 0 && old != fresh) Sys.closeQuietly(old);
        return fresh;
    }

    /** SET_VRING_CALL: the descriptor to signal used buffers on from now on ({@code -1}: the frontend polls). */
    void replaceCall(int fd) {
        synchronized (signals) { callFd = replace(callFd, fd); }
    }

    /** SET_VRING_ERR: the descriptor to signal a stopped ring on. */
    void replaceErr(int fd) {
        synchronized (signals) { errFd = replace(errFd, fd); }
    }

    void interrupt() {
        synchronized (signals) {
            if (callFd < 0) return; // no call descriptor: the frontend polls
            try {
                EventFd.signal(callFd);
            } catch (ErrnoException e) {
                throw new IllegalStateException("vring " + index + " call eventfd: " + e.getMessage(), e);
            }
        }
    }

    void signalError() {
        synchronized (signals) {
            if (errFd < 0) return;
            try {
                EventFd.signal(errFd);
            } catch (ErrnoException e) {
                // nothing more to tell: the fault is logged
            }
        }
    }

    /**
     * The worker's doorbell: poll(2) on the frontend's kick eventfd and a private wake eventfd (enable,
     * stop). Rings only while the ring is enabled (vhost-user.rst: with F_PROTOCOL_FEATURES a ring starts
     * disabled until SET_VRING_ENABLE 1); chains kicked while disabled wait.
     */
    final class KickDoorbell implements VirtqueueTransport.Doorbell {
        private final int kick;
        private final int wake;
        private volatile boolean shut;
        private volatile boolean pending = true; // drain once at start: buffers may already be available

        KickDoorbell(int kick) throws ErrnoException {
            this.kick = kick;
            this.wake = EventFd.create();
        }

        @Override public boolean await() {
            while (!shut) {
                if (pending && enabled) {
                    pending = false;
                    return true;
                }
                int ready;
                try {
                    ready = EventFd.pollIn(-1, kick, wake);
                } catch (ErrnoException e) {
                    return false;
                }
                if ((ready & 1) != 0) {
                    EventFd.drain(kick);
                    pending = true;
                }
                if ((ready & 2) != 0) EventFd.drain(wake);
            }
            return false;
        }

        @Override public void ring() {
            pending = true;
            poke();
        }

        /** Re-evaluates {@link #enabled}. */
        void poke() {
            try {
                EventFd.signal(wake);
            } catch (ErrnoException e) {
                throw new IllegalStateException("wake eventfd: " + e.getMessage(), e);
            }
        }

        @Override public void close() {
            shut = true;
            poke();
        }

        /** After the worker ended: closes the wake descriptor. */
        void release() { Sys.closeQuietly(wake); }
    }
}
