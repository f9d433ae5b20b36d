package io.drydock.virtiofs.fuse.transport;

import io.drydock.virtiofs.fuse.server.FuseServer;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Where a reply goes: the writable part of a request ({@code fuse_out_header} then the reply data).
 * Implemented by a transport: a native buffer for /dev/fuse ({@link SegmentSink}), the writable
 * descriptors of a virtqueue chain for the virtio-fs device.
 *
 * <p>Called by {@link FuseServer#handle} on the thread that handles the request, at most once per
 * byte range, before {@code handle} returns. It may throw an unchecked exception when the destination
 * is bad (a guest-memory fault); the server does not catch that as an errno, it propagates so the
 * device can mark itself broken.
 */
public interface ReplySink {
    /** The bytes the destination can hold, header included. */
    long capacity();

    /**
     * The destination range {@code [offset, offset + length)} as native segments in order (one for a
     * contiguous buffer, several for scattered guest pages); READ fills them with one preadv.
     * Requires {@code offset + length <= capacity()}.
     */
    List<MemorySegment> slices(long offset, long length);
}
