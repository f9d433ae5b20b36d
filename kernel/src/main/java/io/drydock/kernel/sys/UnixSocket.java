package io.drydock.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Unix stream sockets with descriptor passing ({@code SCM_RIGHTS}), which {@code java.nio}'s Unix-domain
 * channels do not offer: the vhost-user protocol hands memory files and eventfds across them. One object is
 * one socket descriptor; created with {@code SOCK_CLOEXEC}, received descriptors with {@code MSG_CMSG_CLOEXEC},
 * so nothing leaks into child processes.
 *
 * <p>Struct layouts are Linux LP64 ({@code struct msghdr} 56 bytes, {@code struct cmsghdr} 16, {@code
 * sockaddr_un} 110). Thread-safety: one reader and one writer may use a socket at once; {@link #close} from
 * another thread after {@link #shutdown} wakes a blocked reader.
 */
public final class UnixSocket implements AutoCloseable {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SHUT_RDWR = 2;
    private static final int SUN_PATH = 108;
    /** At most this many descriptors are accepted with one message (vhost-user sends at most 8). */
    public static final int MAX_FDS = 32;

    private static final NativeCall SOCKET = NativeCall.of("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final NativeCall BIND = NativeCall.of("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall CONNECT = NativeCall.of("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall LISTEN = NativeCall.of("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final NativeCall ACCEPT4 = NativeCall.of("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final NativeCall RECVMSG = NativeCall.of("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall SENDMSG = NativeCall.of("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall SOCKETPAIR = NativeCall.of("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final NativeCall SHUTDOWN = NativeCall.plain("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> NativeCall.newCallState(Arena.ofAuto()));

    private final int fd;
    private volatile boolean closed;

    private UnixSocket(int fd) { this.fd = fd; }

    /** Wraps a descriptor this object now owns. */
    public static UnixSocket adopt(int fd) { return new UnixSocket(fd); }

    public int fd() { return fd; }

    /**
     * A listening socket bound at {@code path} (which must not exist). The path appears only once the socket
     * listens: it is bound and made to listen under a temporary name beside {@code path}, then renamed there.
     * A client that waits for the file (as scripts wait for a vhost-user socket before starting QEMU) and
     * connects at once could otherwise come between bind(2) and listen(2) and be refused (ECONNREFUSED).
     */
    public static UnixSocket listen(String path) throws ErrnoException {
        String staging = path + "~" + ProcessHandle.current().pid();
        if (staging.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH) return open(path, true); // no room for the name: bind in place
        UnixSocket s = open(staging, true);
        try {
            Sys.renameat2(Sys.AT_FDCWD, staging.getBytes(StandardCharsets.UTF_8), Sys.AT_FDCWD, path.getBytes(StandardCharsets.UTF_8),
                    Sys.RENAME_NOREPLACE);
            return s;
        } catch (ErrnoException e) {
            s.close();
            try {
                Sys.unlinkat(Sys.AT_FDCWD, staging.getBytes(StandardCharsets.UTF_8), 0);
            } catch (ErrnoException ignored) {
                // nothing was left there
            }
            throw e;
        }
    }

    /** A socket connected to the listener at {@code path}. */
    public static UnixSocket connect(String path) throws ErrnoException { return open(path, false); }

    private static UnixSocket open(String path, boolean listen) throws ErrnoException {
        UnixSocket s = new UnixSocket(socket());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = sockaddr(a, path);
            if (listen) {
                if ((int) BIND.handle().invokeExact(STATE.get(), s.fd, addr, (int) addr.byteSize()) < 0) throw s.fail("bind", path);
                if ((int) LISTEN.handle().invokeExact(STATE.get(), s.fd, 1) < 0) throw s.fail("listen", path);
            } else if ((int) CONNECT.handle().invokeExact(STATE.get(), s.fd, addr, (int) addr.byteSize()) < 0) {
                throw s.fail("connect", path);
            }
            return s;
        } catch (ErrnoException e) {
            s.close();
            throw e;
        } catch (Throwable t) {
            s.close();
            throw linkage(t);
        }
    }

    /** Two connected sockets (the vhost-user backend-request channel). */
    public static UnixSocket[] pair() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(8, 4);
            if ((int) SOCKETPAIR.handle().invokeExact(STATE.get(), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
                throw new ErrnoException("socketpair", NativeCall.errno(STATE.get()), "AF_UNIX");
            return new UnixSocket[]{new UnixSocket(fds.get(JAVA_INT, 0)), new UnixSocket(fds.get(JAVA_INT, 4))};
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** Blocks until a client connects. */
    public UnixSocket accept() throws ErrnoException {
        try {
            int c = (int) ACCEPT4.handle().invokeExact(STATE.get(), fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            if (c < 0) throw fail("accept4", "fd=" + fd);
            return new UnixSocket(c);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** What one {@link #receive} got: the byte count (0 = the peer closed) and the descriptors passed with it. */
    public record Received(long length, List<Integer> fds) {}

    /**
     * One {@code recvmsg} into {@code dst}: returns at most {@code dst.byteSize()} bytes and the descriptors
     * that came with them (now the caller's to close). Descriptors beyond {@link #MAX_FDS} are cut off by the
     * kernel (MSG_CTRUNC): the ones that arrived are closed and the call fails with EMSGSIZE.
     */
    public Received receive(MemorySegment dst) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(JAVA_LONG, 0, dst.address());
            iov.set(JAVA_LONG, 8, dst.byteSize());
            long controlLen = 16 + align8(4L * MAX_FDS);
            MemorySegment control = a.allocate(controlLen, 8);
            MemorySegment msg = a.allocate(56, 8);
            msg.set(JAVA_LONG, 16, iov.address());
            msg.set(JAVA_LONG, 24, 1);
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, controlLen);
            long n = (long) RECVMSG.handle().invokeExact(STATE.get(), fd, msg, MSG_CMSG_CLOEXEC);
            if (n < 0) throw fail("recvmsg", "fd=" + fd);
            List<Integer> fds = new ArrayList<>();
            long used = msg.get(JAVA_LONG, 40);
            long at = 0;
            while (at + 16 <= used) { // CMSG_FIRSTHDR / CMSG_NXTHDR
                long len = control.get(JAVA_LONG, at);
                if (len < 16 || at + len > used) break;
                if (control.get(JAVA_INT, at + 8) == SOL_SOCKET && control.get(JAVA_INT, at + 12) == SCM_RIGHTS) {
                    for (long p = at + 16; p + 4 <= at + len; p += 4) fds.add(control.get(JAVA_INT, p));
                }
                at += align8(len);
            }
            if ((msg.get(JAVA_INT, 48) & MSG_CTRUNC) != 0) {
                fds.forEach(Sys::closeQuietly);
                throw new ErrnoException("recvmsg", Errno.EMSGSIZE, "fd=" + fd + ": more than " + MAX_FDS + " descriptors");
            }
            return new Received(n, List.copyOf(fds));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** Reads exactly {@code dst.byteSize()} bytes; false when the peer closed first. Descriptors sent with them are closed. */
    public boolean readFully(MemorySegment dst) throws ErrnoException {
        long got = 0;
        while (got < dst.byteSize()) {
            Received r = receive(dst.asSlice(got));
            r.fds().forEach(Sys::closeQuietly);
            if (r.length() == 0) return false;
            got += r.length();
        }
        return true;
    }

    /** Sends all of {@code src} with {@code fds} attached to its first byte (MSG_NOSIGNAL: a gone peer is EPIPE, not SIGPIPE). */
    public void send(MemorySegment src, List<Integer> fds) throws ErrnoException {
        if (fds.size() > MAX_FDS) throw new IllegalArgumentException(fds.size() + " descriptors");
        try (Arena a = Arena.ofConfined()) {
            long sent = 0;
            boolean first = true;
            while (sent < src.byteSize() || first) {
                MemorySegment iov = a.allocate(16, 8);
                iov.set(JAVA_LONG, 0, src.address() + sent);
                iov.set(JAVA_LONG, 8, src.byteSize() - sent);
                MemorySegment msg = a.allocate(56, 8);
                msg.set(JAVA_LONG, 16, iov.address());
                msg.set(JAVA_LONG, 24, 1);
                if (first && !fds.isEmpty()) {
                    long len = 16 + 4L * fds.size();
                    MemorySegment control = a.allocate(align8(len), 8);
                    control.set(JAVA_LONG, 0, len);
                    control.set(JAVA_INT, 8, SOL_SOCKET);
                    control.set(JAVA_INT, 12, SCM_RIGHTS);
                    for (int i = 0; i < fds.size(); i++) control.set(JAVA_INT, 16 + 4L * i, fds.get(i));
                    msg.set(JAVA_LONG, 32, control.address());
                    msg.set(JAVA_LONG, 40, align8(len));
                }
                long n = (long) SENDMSG.handle().invokeExact(STATE.get(), fd, msg, MSG_NOSIGNAL);
                if (n < 0) throw fail("sendmsg", "fd=" + fd);
                sent += n;
                first = false;
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    /** shutdown(SHUT_RDWR): a thread blocked in {@link #receive} or {@link #accept} returns (EOF or EINVAL). */
    public synchronized void shutdown() {
        if (closed) return;
        try {
            int ignored = (int) SHUTDOWN.handle().invokeExact(fd, SHUT_RDWR);
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        Sys.closeQuietly(fd);
    }

    private static int socket() throws ErrnoException {
        try {
            int s = (int) SOCKET.handle().invokeExact(STATE.get(), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (s < 0) throw new ErrnoException("socket", NativeCall.errno(STATE.get()), "AF_UNIX");
            return s;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw linkage(t); }
    }

    private static MemorySegment sockaddr(Arena a, String path) throws ErrnoException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= SUN_PATH) throw new ErrnoException("bind", Errno.ENAMETOOLONG, path);
        MemorySegment addr = a.allocate(2 + SUN_PATH, 2);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(p, 0, addr, JAVA_BYTE, 2, p.length);
        return addr;
    }

    private ErrnoException fail(String call, String subject) {
        return new ErrnoException(call, NativeCall.errno(STATE.get()), subject);
    }

    private static long align8(long n) { return (n + 7) & ~7L; }

    private static AssertionError linkage(Throwable t) { return new AssertionError("native call failed to link", t); }
}
