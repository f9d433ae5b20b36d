package io.drydock.virtiofs.device;

import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.filesystem.ReadOnlyFileSystem;
import io.drydock.virtiofs.fuse.server.FuseOutcome;
import io.drydock.virtiofs.fuse.server.FuseServer;
import io.drydock.virtiofs.fuse.server.FuseServerConfig;
import io.drydock.virtiofs.fuse.transport.SegmentSink;
import io.drydock.virtiofs.passthrough.Credentials;
import io.drydock.virtiofs.passthrough.PassthroughFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Once per JVM, at machine assembly, walks the FUSE server's common read-only paths (INIT, GETATTR,
 * a LOOKUP that misses, OPENDIR, READDIRPLUS, RELEASEDIR) against the shared directory through a read-only
 * wrapper, so the classes, the libc bindings and the first compilations are in place before the guest's
 * first requests: a cold JVM otherwise spends ~10 ms on each kind of request the guest sends first, which
 * is most of a unikernel's boot. Nothing on the host changes; failures are logged and ignored (the guest's
 * own requests then pay the cost).
 *
 * <p>It runs on a daemon thread of its own, started when the machine is configured, so that on a second core
 * it overlaps the rest of the assembly and the guest's kernel boot instead of delaying them: done inline it
 * was about half of a cold unikernel run's assembly (linking the passthrough's libc calls spins classes the
 * AOT cache cannot hold). The guest's own first requests, when they come before it is done, are served as
 * they would be without it (the libc bindings are linked once whoever asks first: {@code NativeCall}).
 */
final class ServerWarmUp {
    private static final Logger log = LoggerFactory.getLogger(ServerWarmUp.class);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private ServerWarmUp() {}

    /** Starts the warm-up on a daemon thread, once per JVM. */
    static void start(Path directory) {
        if (!DONE.compareAndSet(false, true)) return;
        Thread.ofPlatform().daemon().name("virtiofs-warm-up").start(() -> run(directory));
    }

    private static void run(Path directory) {
        try {
            // This thread serves its requests as a queue's worker does: groups and capabilities dropped (which
            // also links setgroups', capget's and capset's calls before the worker's first request needs them).
            Credentials.dropCapabilities(Credentials.SERVING_CAPS);
        } catch (RuntimeException | AssertionError e) {
            log.debug("FUSE warm-up on {} skipped: {}", directory, e.toString());
            return;
        }
        try (Arena arena = Arena.ofConfined();
             PassthroughFileSystem fs = PassthroughFileSystem.open(directory.toString(),
                     io.drydock.virtiofs.passthrough.PassthroughOptions.defaults().withReadonly(true))) {
            FuseServer server = new FuseServer(new ReadOnlyFileSystem(fs), FuseServerConfig.defaults(), null, null);
            SegmentSink sink = new SegmentSink(arena.allocate(64 * 1024));
            send(server, sink, arena, FuseOpcode.INIT, 0, FuseInit.InitIn.SIZE,
                    s -> new FuseInit.InitIn(7, 36, 1 << 17, 0).encode(s, FuseHeaders.InHeader.SIZE));
            send(server, sink, arena, FuseOpcode.GETATTR, 1, 16, s -> {});
            byte[] name = ".drydock-warm-up-no-such-name\0".getBytes(StandardCharsets.UTF_8);
            send(server, sink, arena, FuseOpcode.LOOKUP, 1, name.length,
                    s -> MemorySegment.copy(MemorySegment.ofArray(name), 0, s, FuseHeaders.InHeader.SIZE, name.length));
            FuseOutcome open = send(server, sink, arena, FuseOpcode.OPENDIR, 1, FuseFileIo.OpenIn.SIZE,
                    s -> new FuseFileIo.OpenIn(0, 0).encode(s, FuseHeaders.InHeader.SIZE));
            if (open instanceof FuseOutcome.Replied r && r.error() == 0) {
                long fh = FuseFileIo.OpenOut.decode(sink.buffer(), FuseHeaders.OutHeader.SIZE).fh();
                send(server, sink, arena, FuseOpcode.READDIRPLUS, 1, FuseFileIo.ReadIn.SIZE,
                        s -> new FuseFileIo.ReadIn(fh, 0, 4096, 0, 0, 0).encode(s, FuseHeaders.InHeader.SIZE));
                send(server, sink, arena, FuseOpcode.RELEASEDIR, 1, FuseFileIo.ReleaseIn.SIZE,
                        s -> new FuseFileIo.ReleaseIn(fh, 0, 0, 0).encode(s, FuseHeaders.InHeader.SIZE));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("FUSE warm-up on {} skipped: {}", directory, e.toString());
        }
    }

    private static FuseOutcome send(FuseServer server, SegmentSink sink, Arena arena, FuseOpcode op, long node,
                                    int argSize, Consumer<MemorySegment> args) {
        MemorySegment s = arena.allocate(FuseHeaders.InHeader.SIZE + argSize);
        new FuseHeaders.InHeader((int) s.byteSize(), op.code(), 1, node, 0, 0, 0, 0).encode(s, 0);
        args.accept(s);
        return server.handle(s, sink);
    }
}
