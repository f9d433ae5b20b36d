package io.drydock.kernel.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Linux system calls made through libc's {@code syscall(2)} with one FFM shape: the number and six
 * arguments, every one a {@code long}, the result a {@code long} (-1 with errno captured on failure).
 *
 * <p>Why one shape: the JDK links a downcall stub per function descriptor (a stub, a binding class and a
 * dozen lambda forms, which the AOT cache cannot hold): 5-25 ms each in a cold JVM. Every raw call shares
 * this one link. {@code syscall} takes its arguments as variadic {@code long}s and passes six to the kernel
 * whatever the call; the unused ones are zero. (A variadic downcall also binds its vector-register count,
 * which spins four method-handle species at the first link: libc functions that are not variadic go
 * through {@link NativeCall#ofLongs} instead, as mmap does.)
 *
 * <p>The numbers are the host architecture's (x86-64: arch/x86/entry/syscalls/syscall_64.tbl; aarch64:
 * include/uapi/asm-generic/unistd.h), chosen once from {@code os.arch}; another architecture gets -1,
 * which the kernel answers with ENOSYS.
 */
public final class Syscall {
    private Syscall() {}

    private static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    public static final long SETGROUPS = nr(116, 159);
    public static final long PIVOT_ROOT = nr(155, 41);
    /** The same number on every architecture (new calls are numbered once, from 424 on). */
    public static final long OPENAT2 = 437;

    private static long nr(long x86, long generic) {
        return X86_64 ? x86 : AARCH64 ? generic : -1;
    }

    private static final NativeCall SYSCALL = NativeCall.variadic("syscall", FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);

    /**
     * {@code syscall(nr, a..f)}: the kernel's result, or -1 with the errno in {@code state} (a segment from
     * {@link NativeCall#newCallState}; read it with {@link NativeCall#errno}).
     */
    public static long call(MemorySegment state, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) SYSCALL.handle().invokeExact(state, nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new IllegalStateException("syscall " + nr + " downcall failed", t);
        }
    }
}
