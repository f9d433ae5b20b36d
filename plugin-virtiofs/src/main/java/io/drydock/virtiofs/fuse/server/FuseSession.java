package io.drydock.virtiofs.fuse.server;

/**
 * The outcome of FUSE_INIT: the minor version both sides speak, the flags both agreed on (bits 32-63
 * from flags2), and the limits this server announced.
 */
public record FuseSession(int minor, long flags, int maxWrite, int maxReadahead, int maxPages, int timeGran) {
    public boolean has(long flag) { return (flags & flag) != 0; }
}
