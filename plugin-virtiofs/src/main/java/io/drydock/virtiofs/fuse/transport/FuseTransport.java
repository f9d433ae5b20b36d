package io.drydock.virtiofs.fuse.transport;

import io.drydock.virtiofs.fuse.server.FuseServer;

/**
 * Where requests for a {@link FuseServer} come from: /dev/fuse (a host mount), the virtio-fs device's
 * request queues, or vhost-user. A transport owns its threads; {@link #close} stops taking requests and
 * returns when none is running any more (or a timeout passed).
 */
public interface FuseTransport extends AutoCloseable {
    /** Starts serving requests; returns at once. */
    void start();

    /** Blocks until the transport stopped on its own (e.g. the mount went away) or was closed. */
    void awaitTermination() throws InterruptedException;

    @Override void close();
}
