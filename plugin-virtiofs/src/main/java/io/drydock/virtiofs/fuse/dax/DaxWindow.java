package io.drydock.virtiofs.fuse.dax;

import io.drydock.virtiofs.fuse.abi.FuseDax;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import io.drydock.virtiofs.fuse.filesystem.FuseFileSystem;
import io.drydock.virtiofs.fuse.server.FuseServer;

import java.io.IOException;
import java.util.List;

/**
 * The DAX window hook (virtio 1.2 §5.11.6.5, shared memory region 0 of virtio-fs), implemented by plugin-dax
 * (CONVENTIONS.md item 8: map and unmap only). The {@link FuseServer} calls it only for SETUPMAPPING and
 * REMOVEMAPPING, on the request's thread — several request queues may call at once, so implementations lock
 * their mapping table; without a window those requests get ENOSYS. Throw {@link FuseException} for an errno
 * reply (EINVAL for a misaligned range or one past the window end).
 */
public interface DaxWindow {
    /**
     * fuse.h FUSE_SETUPMAPPING: maps {@code request.len} bytes of the file from {@code request.foffset} at
     * window offset {@code request.moffset}, replacing what overlaps there.
     *
     * @param nodeid the inode of the request header
     * @param files  opens a host descriptor of the file ({@link FuseFileSystem#openForMapping}); the window
     *               closes it once mapped
     */
    void setupMapping(FuseContext ctx, long nodeid, FuseDax.SetupmappingIn request, FileOpener files) throws IOException;

    /** fuse.h FUSE_REMOVEMAPPING: unmaps every range at once; what was mapped there reads as zero afterwards. */
    void removeMapping(FuseContext ctx, List<FuseDax.RemovemappingOne> ranges) throws IOException;

    /**
     * Whether mappings can be made now. In-process windows always can; a vhost-user backend's window lives in
     * the frontend and exists only while the backend-request channel does. The server offers map_alignment in
     * INIT, and serves SETUPMAPPING/REMOVEMAPPING instead of ENOSYS, only when true.
     */
    default boolean available() { return true; }

    /** {@link FuseFileSystem#openForMapping} bound to the request's caller. */
    @FunctionalInterface
    interface FileOpener {
        int open(long nodeid, long fh, boolean writable) throws IOException;
    }
}
