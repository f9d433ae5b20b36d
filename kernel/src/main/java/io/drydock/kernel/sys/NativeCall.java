package io.drydock.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place where Drydock binds C library functions through {@code java.lang.foreign}, with
 * {@code errno} captured right after the call (reading errno later is unreliable: the JVM may make
 * other calls in between).
 *
 * <p>Usage: {@code static final NativeCall OPENAT = NativeCall.of("openat", FunctionDescriptor.of(JAVA_INT, ...));}
 * then {@code int fd = (int) OPENAT.handle().invokeExact(state, dirfd, path, flags, mode);} where
 * {@code state} comes from {@link #newCallState(Arena)}, and {@link #errno(MemorySegment)} reads the
 * captured value. Thread-safe: handles are immutable; each thread brings its own call-state segment.
 */
public record NativeCall(String name, MethodHandle handle) {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Binds a libc function whose handle takes a call-state segment as its first argument. */
    public static NativeCall of(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return new NativeCall(name, LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO));
    }

    /**
     * Like {@link #of} for a variadic libc function ({@code syscall}'s arguments, {@code openat}'s mode):
     * the SysV ABI wants the variadic marker at argument {@code firstVariadic}.
     */
    public static NativeCall variadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return new NativeCall(name, LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic)));
    }

    /** Binds a libc function without errno capture (for calls that cannot fail). */
    public static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** A segment to pass as the first argument of a capturing handle. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured by the last call that used {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code size_t} / {@code long} on LP64 Linux. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** A C pointer. */
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;
}
