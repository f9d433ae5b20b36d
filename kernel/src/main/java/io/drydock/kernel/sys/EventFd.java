package io.drydock.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * eventfd(2) counters and poll(2): the doorbells of vhost-user (a virtqueue's kick and call, the error
 * notifier), signalled by adding 1 and consumed by reading the 8-byte counter. Static helpers over plain
 * descriptors, because both ends may be descriptors received from another process.
 */
public final class EventFd {
    private EventFd() {}

    public static final int EFD_CLOEXEC = 02000000, EFD_NONBLOCK = 04000;
    public static final short POLLIN = 1, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;

    private static final NativeCall EVENTFD = NativeCall.of("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final NativeCall POLL = NativeCall.of("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final NativeCall READ = NativeCall.of("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final NativeCall WRITE = NativeCall.of("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> NativeCall.newCallState(Arena.ofAuto()));
    private static final ThreadLocal<MemorySegment> WORD = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 8));
    private static final ThreadLocal<MemorySegment> POLLFDS = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8L * 8, 4));

    /** A new non-blocking, close-on-exec eventfd at 0. */
    public static int create() throws ErrnoException {
        try {
            int fd = (int) EVENTFD.handle().invokeExact(STATE.get(), 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0) throw new ErrnoException("eventfd", NativeCall.errno(STATE.get()), "0");
            return fd;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw new AssertionError(t); }
    }

    /** Adds 1 to the counter (signals). */
    public static void signal(int fd) throws ErrnoException {
        MemorySegment w = WORD.get();
        w.set(JAVA_LONG, 0, 1L);
        try {
            long n = (long) WRITE.handle().invokeExact(STATE.get(), fd, w, 8L);
            if (n < 0 && NativeCall.errno(STATE.get()) != Errno.EAGAIN) // a saturated counter is still signalled
                throw new ErrnoException("write", NativeCall.errno(STATE.get()), "eventfd " + fd);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw new AssertionError(t); }
    }

    /** Reads and clears the counter; 0 when it was 0 (non-blocking descriptor) or on error. */
    public static long drain(int fd) {
        MemorySegment w = WORD.get();
        try {
            long n = (long) READ.handle().invokeExact(STATE.get(), fd, w, 8L);
            return n == 8 ? w.get(JAVA_LONG, 0) : 0;
        } catch (Throwable t) { throw new AssertionError(t); }
    }

    /**
     * poll(2) on up to 8 descriptors for POLLIN; returns a bit mask of the indexes that are readable or in
     * error (hang-up, invalid descriptor), 0 on timeout. EINTR counts as a timeout.
     */
    public static int pollIn(int timeoutMillis, int... fds) throws ErrnoException {
        if (fds.length > 8) throw new IllegalArgumentException(fds.length + " descriptors");
        MemorySegment p = POLLFDS.get();
        for (int i = 0; i < fds.length; i++) {
            p.set(JAVA_INT, 8L * i, fds[i]);
            p.set(JAVA_SHORT, 8L * i + 4, POLLIN);
            p.set(JAVA_SHORT, 8L * i + 6, (short) 0);
        }
        try {
            int n = (int) POLL.handle().invokeExact(STATE.get(), p, (long) fds.length, timeoutMillis);
            if (n < 0) {
                if (NativeCall.errno(STATE.get()) == Errno.EINTR) return 0;
                throw new ErrnoException("poll", NativeCall.errno(STATE.get()), fds.length + " descriptors");
            }
            int mask = 0;
            for (int i = 0; i < fds.length; i++) if (p.get(JAVA_SHORT, 8L * i + 6) != 0) mask |= 1 << i;
            return mask;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw new AssertionError(t); }
    }
}
