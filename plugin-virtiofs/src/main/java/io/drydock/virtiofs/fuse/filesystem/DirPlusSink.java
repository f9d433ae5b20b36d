package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.virtiofs.fuse.abi.FuseAttrs;

/**
 * Collects READDIRPLUS entries. Each entry added with a non-zero nodeid counts as a LOOKUP for the
 * client (fs/fuse/readdir.c), so a file system checks {@link #fits} before it takes a lookup reference.
 */
public interface DirPlusSink {
    boolean fits(int nameLength);

    /** Adds one entry; returns false, adding nothing, when it does not fit. */
    boolean add(FuseAttrs.EntryOut entry, long nextOffset, int type, byte[] name);
}
