package io.drydock.virtiofs.fuse.server;

import io.drydock.kernel.sys.Errno;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseHeaders.InHeader;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.transport.ReplySink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The FUSE server: decodes one request, checks it, dispatches it to a {@link FuseFileSystem} and
 * encodes the reply. It does no I/O of its own: a transport hands it the readable bytes of a request
 * (a view of a /dev/fuse buffer or of a virtqueue chain's readable part) and a {@link ReplySink} for
 * the writable part, and completes the request as the returned {@link FuseOutcome} says.
 *
 * <p>Thread-safe: {@link #handle} may be called from several threads at once (request queues, /dev/fuse
 * workers). It never throws for anything the client sent; it only lets through a failure of the
 * {@link ReplySink} itself (a guest-memory fault), which marks a device broken rather than an errno.
 */
public final class FuseServer {
    private static final Logger LOG = LoggerFactory.getLogger(FuseServer.class);
    /** fuse.h: FUSE_INIT_BSWAP_RESERVED, the INIT opcode as a byte-swapped (big-endian) client sends it. */
    static final int INIT_BSWAP_RESERVED = 26 << 24;
    /** errno.h: EPROTO, the reply to an INIT of an unsupported version. */
    static final int EPROTO = 71;

    private final FuseFileSystem fs;
    private final FuseServerConfig config;
    private final FuseObserver observer;
    private final FuseDispatcher dispatcher;
    private volatile FuseSession session;
    private final Set<String> loggedFailures = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param dax the DAX window for SETUPMAPPING/REMOVEMAPPING, or null (those then get ENOSYS)
     */
    public FuseServer(FuseFileSystem fs, FuseServerConfig config, DaxWindow dax, FuseObserver observer) {
        this.fs = fs;
        this.config = config;
        this.observer = observer == null ? FuseObserver.none() : observer;
        this.dispatcher = new FuseDispatcher(fs, config, dax);
    }

    public FuseServer(FuseFileSystem fs) { this(fs, FuseServerConfig.defaults(), null, null); }

    /** The negotiated session, or null before INIT (and after DESTROY). */
    public FuseSession session() { return session; }

    public FuseServerConfig config() { return config; }

    /**
     * Requests that failed inside the server or file system with something other than an errno (a bug, an
     * OutOfMemoryError, a StackOverflowError): each was answered EIO and counted here.
     */
    public long failures() { return failures.sum(); }

    /**
     * Handles one request. {@code request} must be exactly the readable bytes the client supplied;
     * {@code sink} the writable destination.
     */
    public FuseOutcome handle(MemorySegment request, ReplySink sink) {
        long t0 = System.nanoTime();
        if (request.byteSize() < InHeader.SIZE)
            return new FuseOutcome.Dropped("request of " + request.byteSize() + " bytes, shorter than fuse_in_header");
        InHeader h = InHeader.decode(request, 0);
        FuseOpcode op = FuseOpcode.of(h.opcode());
        if (h.opcode() == INIT_BSWAP_RESERVED)
            return new FuseOutcome.Dropped("byte-swapped FUSE_INIT: big-endian clients are not supported");
        boolean noReply = op != null && !op.hasReply();
        if (!noReply && sink.capacity() < FuseHeaders.OutHeader.SIZE)
            return new FuseOutcome.Dropped("writable part of " + sink.capacity() + " bytes, shorter than fuse_out_header");
        ReplyWriter reply = new ReplyWriter(sink);
        int error;
        long argLength = 0;
        try {
            FuseArgs args = checkHeader(h, request);
            if (op == null) throw new FuseException(Errno.ENOSYS, "opcode " + h.opcode());
            FuseSession s = session;
            if (op == FuseOpcode.INIT) {
                argLength = init(args, reply);
            } else if (s == null) {
                // fuse.h: nothing but INIT is valid before the session starts
                throw new FuseException(Errno.EIO, op + " before FUSE_INIT");
            } else if (op == FuseOpcode.DESTROY) {
                session = null;
                fs.destroy();
            } else if (noReply) {
                argLength = dispatcher.dispatch(op, h, FuseContext.of(h), args, reply, s);
            } else {
                FuseContext c = FuseContext.of(h);
                try (FuseFileSystem.Scope scope = fs.enter(c)) {
                    argLength = dispatcher.dispatch(op, h, c, args, reply, s);
                }
            }
            error = 0;
        } catch (ReplyWriter.SinkFault e) {
            throw e;
        } catch (InternalError e) {
            // the JVM's answer to SIGBUS in an access to mapped memory: the reply destination is a page of
            // a file truncated under it (a DAX window page). Not an errno: the destination is broken.
            throw new ReplyWriter.SinkFault(e);
        } catch (FuseException | io.drydock.kernel.sys.ErrnoException e) {
            error = FuseException.errnoOf(e);
        } catch (Exception | Error e) {
            // a bug, OutOfMemoryError, StackOverflowError: this request fails, the server goes on (issue #11)
            error = Errno.EIO;
            failures.increment();
            String key = String.valueOf(op) + '/' + e.getClass().getName();
            if (loggedFailures.add(key)) LOG.error("FUSE {} (unique {}, nodeid {}) failed; replying EIO", op, h.unique(), h.nodeid(), e);
            else LOG.debug("FUSE {} failed again: {}", op, e.toString());
        }
        FuseOutcome outcome;
        if (noReply) {
            outcome = new FuseOutcome.NoReply();
        } else {
            outcome = new FuseOutcome.Replied(reply.finish(h.unique(), error, argLength), error);
        }
        try {
            observer.onRequest(op, h.opcode(), h.unique(), h.nodeid(), request.byteSize(),
                    outcome instanceof FuseOutcome.Replied r ? r.length() : 0, error, System.nanoTime() - t0);
        } catch (RuntimeException e) {
            if (loggedFailures.add("observer/" + e.getClass().getName())) LOG.warn("FUSE observer failed", e);
        }
        return outcome;
    }

    /** fuse.h: len covers the header and args; total_extlen (8-byte units) of extensions follow the args. */
    private FuseArgs checkHeader(InHeader h, MemorySegment request) throws FuseException {
        long len = Integer.toUnsignedLong(h.len());
        if (len != request.byteSize())
            throw new FuseException(Errno.EINVAL, "header len " + len + " but request of " + request.byteSize() + " bytes");
        if (len > config.maxRequestSize())
            throw new FuseException(Errno.EINVAL, "request of " + len + " bytes over the limit " + config.maxRequestSize());
        long argsEnd = len - 8L * h.totalExtlen();
        if (argsEnd < InHeader.SIZE)
            throw new FuseException(Errno.EINVAL, "total_extlen " + h.totalExtlen() + " larger than the request");
        return new FuseArgs(request, InHeader.SIZE, argsEnd);
    }

    /** FUSE_INIT: version check and negotiation (fuse.h "Version negotiation"). */
    private long init(FuseArgs args, ReplyWriter reply) throws java.io.IOException {
        long available = args.remaining();
        long at = args.take(Math.min(available, FuseInit.InitIn.SIZE));
        if (available < FuseInit.InitIn.COMPAT_SIZE)
            throw new FuseException(Errno.EINVAL, "fuse_init_in of " + available + " bytes");
        FuseInit.InitIn in = FuseInit.InitIn.decode(args.segment(), at, available);
        MemorySegment out = reply.window(FuseInit.InitOut.SIZE);
        if (in.major() > FuseInit.MAJOR) {
            // fuse.h: a newer major gets our major in reply and a new INIT is expected
            new FuseInit.InitOut(FuseInit.MAJOR, FuseInit.MINOR, 0, 0, 0, 0, 0, 0, 0, 0).encode(out, 0);
            return FuseInit.InitOut.SIZE;
        }
        if (in.major() < FuseInit.MAJOR || in.minor() < FuseInit.MIN_MINOR)
            throw new FuseException(EPROTO, "FUSE " + in.major() + "." + in.minor() + " (need 7." + FuseInit.MIN_MINOR + "+)");
        if (session != null) fs.destroy(); // virtio-fs: a new FUSE_INIT ends the session
        int minor = Math.min(in.minor(), FuseInit.MINOR);
        long offered = in.flags();
        if ((offered & FuseInit.INIT_EXT) == 0) offered &= 0xffffffffL; // flags2 only travels with INIT_EXT
        long flags = offered & config.wantedFlags() & ~fs.refusedInitFlags();
        if (!dispatcher.hasDax()) flags &= ~FuseInit.MAP_ALIGNMENT;
        else flags |= offered & FuseInit.MAP_ALIGNMENT;
        int readahead = Integer.compareUnsigned(in.maxReadahead(), config.maxReadahead()) < 0 ? in.maxReadahead()
                : config.maxReadahead();
        FuseSession s = new FuseSession(minor, flags, config.maxWrite(), readahead, config.maxPages(), config.timeGran());
        fs.init(s);
        new FuseInit.InitOut(FuseInit.MAJOR, minor, readahead, flags, config.maxBackground(),
                config.congestionThreshold(), config.maxWrite(), config.timeGran(), config.maxPages(),
                (flags & FuseInit.MAP_ALIGNMENT) != 0 ? config.mapAlignment() : 0).encode(out, 0);
        session = s;
        return FuseInit.InitOut.SIZE;
    }
}
