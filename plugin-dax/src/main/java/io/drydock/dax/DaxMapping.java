package io.drydock.dax;

import io.drydock.kernel.memory.Sizes;
import io.drydock.virtiofs.fuse.abi.FuseDax;

/**
 * One live mapping of the DAX window: window bytes [moffset, moffset+length) show file bytes from
 * {@code foffset}. Only the first {@code backed} bytes are file pages — the file's size rounded up to a page
 * when the mapping was made (pages wholly past the end of a file would raise SIGBUS); the rest are zero pages.
 *
 * @param moffset  window offset (fuse.h fuse_setupmapping_in.moffset)
 * @param length   bytes
 * @param foffset  file offset
 * @param backed   bytes from {@code moffset} backed by the file (≤ length)
 * @param flags    FUSE_SETUPMAPPING_FLAG_READ/WRITE as the guest sent them
 * @param writable mapped shared, guest stores reach the file (flag WRITE); else private copy-on-write
 * @param nodeid   the inode mapped
 * @param file     the host path of the file when it was mapped (readlink of /proc/self/fd), for inspection
 */
public record DaxMapping(long moffset, long length, long foffset, long backed, long flags, boolean writable,
                         long nodeid, String file) {
    public long end() { return moffset + length; }

    /** The part of this mapping inside window range [from, to) (which must overlap it). */
    DaxMapping slice(long from, long to) {
        long start = Math.max(from, moffset), stop = Math.min(to, end());
        long skip = start - moffset;
        return new DaxMapping(start, stop - start, foffset + skip, Math.clamp(backed - skip, 0, stop - start),
                flags, writable, nodeid, file);
    }

    @Override public String toString() {
        String f = ((flags & FuseDax.FLAG_READ) != 0 ? "R" : "") + ((flags & FuseDax.FLAG_WRITE) != 0 ? "W" : "");
        return String.format("0x%010x+%-8s %s flags=%s %s @0x%x nodeid=%d%s", moffset, Sizes.format(length),
                writable ? "rw" : "ro", f.isEmpty() ? "0" : f, file, foffset, nodeid,
                backed < length ? " (" + Sizes.format(backed) + " in the file, rest zero)" : "");
    }
}
