package io.drydock.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where Drydock binds C library functions through {@code java.lang.foreign}, with
 * {@code errno} captured right after the call (reading errno later is unreliable: the JVM may make
 * other calls in between).
 *
 * <p>Usage: {@code static final NativeCall OPENAT = NativeCall.of("openat", FunctionDescriptor.of(JAVA_INT, ...));}
 * then {@code int fd = (int) OPENAT.handle().invokeExact(state, dirfd, path, flags, mode);} where
 * {@code state} comes from {@link #newCallState(Arena)}, and {@link #errno(MemorySegment)} reads the
 * captured value.
 *
 * <p>Bound lazily, once per symbol: declaring a call costs nothing; its downcall handle is linked on the
 * first {@link #handle()} (linking spins a stub and a dozen or more lambda-form classes, which the JDK's AOT
 * cache cannot hold: binding every declared call at class initialisation cost a cold {@code scripts/run}
 * hundreds of milliseconds for calls the run never made). The same name, descriptor and options anywhere
 * give the same {@code NativeCall}, so it is linked once. Thread-safe: two threads may both link on a
 * first call, one handle wins; each thread brings its own call-state segment.
 */
public final class NativeCall {
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    /**
     * Where errno lies in the call state. An offset read with JAVA_INT, not the layout's VarHandle: building a
     * struct layout's VarHandle spins method-handle adapters at class initialisation, ~5 ms of a cold run.
     */
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    /** Every call declared, by name, descriptor and options: one binding per symbol and shape. */
    private static final ConcurrentHashMap<List<Object>, NativeCall> CALLS = new ConcurrentHashMap<>();

    private final String name;
    private final FunctionDescriptor descriptor;
    private final boolean captureErrno;
    private final int firstVariadic;   // -1: not variadic
    private volatile MethodHandle handle;

    private NativeCall(String name, FunctionDescriptor descriptor, boolean captureErrno, int firstVariadic) {
        this.name = name;
        this.descriptor = descriptor;
        this.captureErrno = captureErrno;
        this.firstVariadic = firstVariadic;
    }

    private static NativeCall declare(String name, FunctionDescriptor descriptor, boolean captureErrno, int firstVariadic) {
        return CALLS.computeIfAbsent(List.of(name, descriptor, captureErrno, firstVariadic),
                k -> new NativeCall(name, descriptor, captureErrno, firstVariadic));
    }

    /** A libc function whose handle takes a call-state segment as its first argument. */
    public static NativeCall of(String name, FunctionDescriptor descriptor) {
        return declare(name, descriptor, true, -1);
    }

    /**
     * Like {@link #of} for a variadic libc function ({@code syscall}'s arguments, {@code openat}'s mode):
     * the SysV ABI wants the variadic marker at argument {@code firstVariadic}.
     */
    public static NativeCall variadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return declare(name, descriptor, true, firstVariadic);
    }

    /** Six C longs in, a C long out: the one shape of {@link #ofLongs} calls. */
    private static final FunctionDescriptor LONGS = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    /**
     * A libc function of up to six integer or pointer arguments, called through one shared shape: six
     * {@code long}s in, a {@code long} out, errno captured; call it with {@link #call}. The JDK links a stub
     * per descriptor (a binding class and a dozen lambda forms, which the AOT cache cannot hold: 5-25 ms each
     * in a cold JVM), so every function declared here costs one link between them: e.g. anonymous guest RAM's
     * mmap and its munmap at the machine's close, one link, not two (docs/startup.md, fourth pass).
     *
     * <p>Why this is sound, by the calling conventions (System V AMD64 psABI §3.2.3 "Parameter Passing";
     * AAPCS64, "Parameter passing"): the first six INTEGER-class arguments travel in registers, so a callee
     * that declares fewer never reads the extra ones (pass 0); an {@code int} or pointer argument is read from
     * the low bits of its register, so a {@code long} carrying it is the same call; an {@code int} result
     * leaves the upper half of the result register undefined, so narrow it with {@code (int)} — a pointer or
     * {@code long} result is whole. Not for variadic functions (x86-64 wants %al set for those: use
     * {@link #variadic}). A pointer goes as {@code segment.address()}, which, unlike a segment argument, does
     * not keep the segment's arena open during the call: pass only memory of the call's own arena, or memory
     * whose unmapping the caller serialises with the call (never guest RAM a device may be handed).
     */
    public static NativeCall ofLongs(String name) {
        return declare(name, LONGS, true, -1);
    }

    /** Calls an {@link #ofLongs} function; {@code state} as for {@link #of}. The result as the function returned it. */
    public long call(MemorySegment state, long a, long b, long c, long d, long e, long f) {
        if (descriptor != LONGS) throw new IllegalStateException(this + " is not an ofLongs call");
        try {
            return (long) handle().invokeExact(state, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new IllegalStateException(name + " downcall failed", t);
        }
    }

    /** A libc function without errno capture (for calls that cannot fail): its handle takes no call state. */
    public static NativeCall plain(String name, FunctionDescriptor descriptor) {
        return declare(name, descriptor, false, -1);
    }

    /** The function's name in libc. */
    public String name() { return name; }

    /** The downcall handle, linked on the first call. */
    public MethodHandle handle() {
        MethodHandle h = handle;
        return h != null ? h : link();
    }

    private MethodHandle link() {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        Linker.Option[] options = captureErrno && firstVariadic >= 0
                ? new Linker.Option[] {Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic)}
                : captureErrno ? new Linker.Option[] {Linker.Option.captureCallState("errno")}
                : new Linker.Option[0];
        MethodHandle h = linker.downcallHandle(symbol, descriptor, options);
        synchronized (this) {
            if (handle == null) handle = h;
            return handle;
        }
    }

    /** A segment to pass as the first argument of a capturing handle. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured by the last call that used {@code state}. */
    public static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    @Override public String toString() { return "NativeCall[" + name + " " + descriptor + "]"; }

    /** {@code size_t} / {@code long} on LP64 Linux. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** A C pointer. */
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;
}
