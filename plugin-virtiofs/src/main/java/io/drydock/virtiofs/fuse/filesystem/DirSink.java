package io.drydock.virtiofs.fuse.filesystem;

/** Collects READDIR entries into the reply; called by a {@link FuseFileSystem} on the request's thread. */
public interface DirSink {
    /**
     * Adds one entry; {@code nextOffset} is the cookie for the READDIR that continues after it.
     * Returns false, adding nothing, when the reply buffer is full.
     */
    boolean add(long ino, long nextOffset, int type, byte[] name);
}
