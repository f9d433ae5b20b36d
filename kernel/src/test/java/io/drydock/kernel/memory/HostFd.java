package io.drydock.kernel.memory;

import io.drydock.kernel.sys.ErrnoException;
import io.drydock.kernel.sys.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** A host file descriptor for tests (open(2)/close(2)): what the DAX engine gets from the passthrough. */
record HostFd(int fd) implements AutoCloseable {
    private static final NativeCall OPEN = NativeCall.of("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final NativeCall CLOSE = NativeCall.plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    static HostFd open(Path file, boolean write) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = NativeCall.newCallState(a);
            int fd = (int) OPEN.handle().invokeExact(state, a.allocateFrom(file.toString()), write ? 2 : 0);
            if (fd < 0) throw new ErrnoException("open", NativeCall.errno(state), file.toString());
            return new HostFd(fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override public void close() {
        try {
            int ignored = (int) CLOSE.handle().invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
