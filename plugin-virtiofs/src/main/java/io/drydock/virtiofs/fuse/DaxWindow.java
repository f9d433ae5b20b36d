package io.drydock.virtiofs.fuse;

import java.io.IOException;
import java.util.List;

/**
 * The DAX window hook (virtio-fs shared memory region 0), implemented by plugin-dax. The server calls it
 * only for SETUPMAPPING and REMOVEMAPPING, on the request's thread; without one those get ENOSYS.
 * Throw {@link FuseException} for an errno reply (e.g. EINVAL for a range past the window end).
 */
public interface DaxWindow {
    void setupMapping(FuseContext ctx, long nodeid, FuseDax.SetupmappingIn request) throws IOException;

    void removeMapping(FuseContext ctx, List<FuseDax.RemovemappingOne> ranges) throws IOException;
}
