package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.virtiofs.fuse.abi.FuseHeaders;

/** Who sent a request: from {@code fuse_in_header} (unique, nodeid, uid, gid, pid). */
public record FuseContext(long unique, long nodeid, int uid, int gid, int pid) {
    public static FuseContext of(FuseHeaders.InHeader h) {
        return new FuseContext(h.unique(), h.nodeid(), h.uid(), h.gid(), h.pid());
    }
}
