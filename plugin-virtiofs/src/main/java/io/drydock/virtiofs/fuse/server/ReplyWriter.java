package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.transport.ReplySink;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Writes one reply into a {@link ReplySink}: the arguments go straight into the sink when its range is
 * one segment, else into a scratch segment scattered at {@link #finish}. The header is written last.
 * Exceptions thrown by the sink are wrapped in {@link SinkFault} so the server can tell a broken
 * destination (not an errno) from a failed operation.
 */
final class ReplyWriter {
    /** The sink failed (a guest-memory fault): propagates out of the server, never becomes an errno. */
    static final class SinkFault extends RuntimeException {
        SinkFault(Throwable cause) { super("reply destination failed: " + cause.getMessage(), cause); }
    }

    private final ReplySink sink;
    private MemorySegment scratch;
    private long scratchLength;

    ReplyWriter(ReplySink sink) { this.sink = sink; }

    long argCapacity() { return sink.capacity() - FuseHeaders.OutHeader.SIZE; }

    /** Checks that {@code n} argument bytes fit the destination; EINVAL (a too-small buffer) otherwise. */
    void requireRoom(long n) throws FuseException {
        if (n > argCapacity())
            throw new FuseException(Errno.EINVAL, "reply of " + n + " bytes, room for " + argCapacity());
    }

    /** Native slices of the destination for {@code n} argument bytes (READ's direct fill). */
    List<MemorySegment> argSlices(long n) throws FuseException {
        requireRoom(n);
        try {
            return sink.slices(FuseHeaders.OutHeader.SIZE, n);
        } catch (RuntimeException e) {
            throw new SinkFault(e);
        }
    }

    /** A segment of {@code n} bytes to encode the arguments into. */
    MemorySegment window(long n) throws FuseException {
        List<MemorySegment> parts = argSlices(n);
        if (parts.size() == 1) return parts.getFirst();
        scratch = MemorySegment.ofArray(new byte[(int) n]);
        scratchLength = n;
        return scratch;
    }

    /** Writes the header (and scatters the scratch arguments); returns the reply length. */
    long finish(long unique, int error, long argLength) {
        long len = FuseHeaders.OutHeader.SIZE + (error == 0 ? argLength : 0);
        try {
            if (error == 0 && scratch != null) {
                long at = 0;
                for (MemorySegment part : sink.slices(FuseHeaders.OutHeader.SIZE, scratchLength)) {
                    MemorySegment.copy(scratch, at, part, 0, part.byteSize());
                    at += part.byteSize();
                }
            }
            MemorySegment h = MemorySegment.ofArray(new byte[FuseHeaders.OutHeader.SIZE]);
            new FuseHeaders.OutHeader((int) len, -error, unique).encode(h, 0);
            long at = 0;
            for (MemorySegment part : sink.slices(0, FuseHeaders.OutHeader.SIZE)) {
                MemorySegment.copy(h, at, part, 0, part.byteSize());
                at += part.byteSize();
            }
        } catch (RuntimeException | InternalError e) { // InternalError: SIGBUS in a truncated mapped page
            throw new SinkFault(e);
        }
        return len;
    }
}
