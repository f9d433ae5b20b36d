package io.drydock.virtiofs.fuse.server;

import io.drydock.virtiofs.fuse.abi.FuseFileIo;
import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseInit;
import io.drydock.virtiofs.fuse.dax.DaxWindow;

/**
 * What the server announces in FUSE_INIT.
 *
 * @param maxWrite largest WRITE (and READ) payload; default 1 MiB, as Rust virtiofsd
 * @param maxPages pages per request the client may use (fuse.h max_pages); default 256 (= 1 MiB)
 * @param maxReadahead cap on the client's readahead; default 1 MiB (the reply is the smaller of this and the client's)
 * @param wantedFlags INIT flags the server asks for; the reply carries those the client offered too
 * @param timeGran timestamp granularity in ns; default 1
 * @param maxBackground background requests the client may queue; default 256
 * @param congestionThreshold default 192 (3/4 of max_background)
 * @param mapAlignment log2 of the DAX mapping alignment (only sent with MAP_ALIGNMENT and a DaxWindow); default 12
 */
public record FuseServerConfig(int maxWrite, int maxPages, int maxReadahead, long wantedFlags, int timeGran,
                               int maxBackground, int congestionThreshold, int mapAlignment) {
    public static final long DEFAULT_FLAGS = FuseInit.ASYNC_READ | FuseInit.BIG_WRITES | FuseInit.ATOMIC_O_TRUNC
            | FuseInit.AUTO_INVAL_DATA | FuseInit.DO_READDIRPLUS | FuseInit.READDIRPLUS_AUTO | FuseInit.PARALLEL_DIROPS
            | FuseInit.MAX_PAGES | FuseInit.ASYNC_DIO | FuseInit.INIT_EXT
            // MAP_SHARED mmap of files opened FOPEN_DIRECT_IO (cache=never) instead of ENODEV (Linux 6.6)
            | FuseInit.DIRECT_IO_ALLOW_MMAP;

    public FuseServerConfig {
        if (maxWrite < 4096 || maxWrite > (16 << 20)) throw new IllegalArgumentException("maxWrite " + maxWrite);
        if (maxPages < 1 || maxPages > 65535) throw new IllegalArgumentException("maxPages " + maxPages);
    }

    public static FuseServerConfig defaults() {
        return new FuseServerConfig(1 << 20, 256, 1 << 20, DEFAULT_FLAGS, 1, 256, 192, 12);
    }

    public FuseServerConfig withFlags(long flags) {
        return new FuseServerConfig(maxWrite, maxPages, maxReadahead, flags, timeGran, maxBackground,
                congestionThreshold, mapAlignment);
    }

    /** The largest request accepted: header, WRITE args, payload, and a page for names and extensions. */
    public long maxRequestSize() {
        return FuseHeaders.InHeader.SIZE + FuseFileIo.WriteIn.SIZE + (long) maxWrite + 4096;
    }
}
