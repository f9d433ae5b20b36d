package io.drydock.virtiofs.vhostuser;

import io.drydock.kernel.sys.EventFd;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frontend replaces a running ring's call and error eventfds (QEMU sends SET_VRING_CALL again right after
 * starting a device, when it unmasks the guest notifier): a worker signalling at that moment must reach the
 * old or the new descriptor, never a closed one (EBADF turned a completed request into a ring error, and a
 * closed number may already be another file of this process).
 */
class VhostUserRingTest {
    @Test void replacingTheCallAndErrorDescriptorsUnderARunningWorkerNeverSignalsAClosedOne() throws Exception {
        VhostUserRing ring = new VhostUserRing(0);
        ring.replaceCall(EventFd.create());
        ring.replaceErr(EventFd.create());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 200_000 && failure.get() == null; i++) {
                    ring.interrupt();
                    ring.signalError();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        int replaced = 0;
        while (worker.isAlive() && replaced < 50_000) {
            ring.replaceCall(EventFd.create());
            ring.replaceErr(EventFd.create());
            replaced++;
        }
        worker.join();
        ring.reset();
        assertNull(failure.get(), () -> "the worker signalled a closed descriptor: " + failure.get());
        assertTrue(replaced > 0);
    }
}
