package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseAttrs;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue #11 findings 3 and 6: Errors stop at the request boundary. An OutOfMemoryError or StackOverflowError
 * in the file system is an EIO reply (counted), and a reply written into a page of a truncated mapped file
 * (a DAX window page: SIGBUS, which the JVM raises as InternalError) is a {@link ReplyWriter.SinkFault}, the
 * device's NEEDS_RESET path, never an Error that kills the worker.
 */
class FuseServerBoundsTest {
    @TempDir Path dir;

    /** GETATTR throws what it is told to; everything else is the default. */
    static final class Throwing implements FuseFileSystem {
        volatile Throwable next;

        @Override public FuseAttrs.AttrOut getattr(FuseContext c, long nodeid, long fh) throws IOException {
            Throwable t = next;
            if (t instanceof Error e) throw e;
            if (t instanceof IOException e) throw e;
            return new FuseAttrs.AttrOut(1, 0, new FuseAttrs.Attr(1, 0, 0, 0, 0, 0, 0, 0, 0, 040755, 2, 0, 0, 0, 4096, 0));
        }
    }

    @Test
    void errorsInTheFileSystemAreEioAndCounted() {
        Throwing fs = new Throwing();
        FuseServer server = new FuseServer(fs);
        try (FuseTestClient c = new FuseTestClient(server)) {
            c.init();
            fs.next = new OutOfMemoryError("Java heap space (the handle table grew without bound)");
            assertEquals(Errno.EIO, c.getattr_error(1));
            fs.next = new StackOverflowError();
            assertEquals(Errno.EIO, c.getattr_error(1));
            assertEquals(2, server.failures());
            fs.next = null;
            assertEquals(0, c.getattr_error(1), "the server goes on");
        }
    }

    @Test
    void aReplyIntoATruncatedMappedPageIsASinkFaultNotAnInternalError() throws IOException {
        Path f = Files.write(dir.resolve("dax-backing"), new byte[8192]);
        FuseServer server = new FuseServer(new Throwing());
        try (FuseTestClient c = new FuseTestClient(server); Arena arena = Arena.ofShared();
             FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            c.init();
            MemorySegment page = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8192, arena);
            ch.truncate(0); // the host truncates the file under the guest's reply buffer
            MemorySegment request = FuseRequest.of(FuseOpcode.GETATTR, 1).unique(7)
                    .struct(16, (s, o) -> new FuseAttrs.GetattrIn(0, 0).encode(s, o)).build(arena);
            RuntimeException e = assertThrows(RuntimeException.class, () -> server.handle(request, new SegmentSink(page)));
            assertInstanceOf(ReplyWriter.SinkFault.class, e);
            assertInstanceOf(InternalError.class, e.getCause());
            assertEquals(0, c.getattr_error(1), "the next request with a good buffer is served");
        }
    }
}
