package io.drydock.virtiofs.passthrough;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;
import io.drydock.virtiofs.fuse.server.FuseTestClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11 finding 6: every cached inode held a descriptor (65,536 of them against an RLIMIT_NOFILE of
 * 20,000, so a host user stat-ing 21,000 files through the mount made every later open fail with EMFILE),
 * and OPEN without RELEASE grew the handle table without bound. Now RLIMIT_NOFILE is raised, the inode
 * descriptors are bounded and dropped under pressure and re-opened by file handle, and handles are capped.
 */
class InodeDescriptorBudgetTest {
    @TempDir Path dir;

    @Test
    void rlimitIsRaisedAndTheCachesAreSizedFromIt() {
        long limit = FdLimits.raise();
        assertTrue(limit >= FdLimits.current() && limit >= 1024, "RLIMIT_NOFILE " + limit);
        PassthroughOptions o = PassthroughOptions.defaults();
        assertTrue(o.maxInodeFds() + o.maxOpenFds() < limit, "inode " + o.maxInodeFds() + " + data " + o.maxOpenFds() + " < " + limit);
    }

    @Test
    void manyMoreInodesThanDescriptorsStayUsable() throws IOException {
        int files = 3000, budget = 100;
        for (int i = 0; i < files; i++) Files.writeString(dir.resolve("f" + i), "content " + i);
        try (PassthroughFixture f = new PassthroughFixture(dir, PassthroughOptions.defaults().withMaxInodeFds(budget))) {
            Assumptions.assumeTrue(f.fs.fileHandles(), "file handles need CAP_DAC_READ_SEARCH and a file system with handles");
            FuseTestClient c = f.client;
            long[] nodes = new long[files];
            for (int i = 0; i < files; i++) nodes[i] = c.lookup(1, "f" + i).nodeid(); // no FORGET: the client caches them all
            assertEquals(files + 1, f.fs.inodeCount());
            assertTrue(f.fs.inodeDescriptors() <= budget, "inode descriptors " + f.fs.inodeDescriptors() + " <= " + budget);
            assertTrue(f.fs.inodeDescriptorsDropped() >= files - budget);
            // the first ones were dropped long ago: GETATTR, OPEN and READ re-open them by handle
            for (int i = 0; i < 50; i++) {
                assertEquals(0, c.getattr_error(nodes[i]));
                long fh = c.open(nodes[i], Sys.O_RDONLY);
                assertArrayEquals(("content " + i).getBytes(), c.read(nodes[i], fh, 0, 100));
                c.release(nodes[i], fh, FuseOpcode.RELEASE).ok();
            }
            assertTrue(f.fs.inodeDescriptorsReopened() >= 50);
            assertTrue(f.fs.inodeDescriptors() <= budget);
            // a file deleted while its descriptor was dropped: ESTALE, never another file that reuses the number
            Files.delete(dir.resolve("f60"));
            assertEquals(InodeTable.ESTALE, c.getattr_error(nodes[60]));
        }
    }

    @Test
    void openWithoutReleaseEndsInEmfile() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        try (PassthroughFixture f = new PassthroughFixture(dir, PassthroughOptions.defaults().withMaxHandles(64).withMaxOpenFds(8))) {
            FuseTestClient c = f.client;
            long node = c.lookup(1, "f").nodeid();
            long first = c.open(node, Sys.O_RDONLY);
            for (int i = 1; i < 64; i++) c.open(node, Sys.O_RDONLY);
            assertEquals(Errno.EMFILE, c.openReply(node, Sys.O_RDONLY).error(), "the 65th handle");
            assertEquals(Errno.EMFILE, c.createReply(1, "g", Sys.O_RDWR, 0100644).error());
            assertTrue(f.fs.openDescriptors() <= 8, "data descriptors stay bounded: " + f.fs.openDescriptors());
            c.release(node, first, FuseOpcode.RELEASE).ok();
            assertEquals(0, c.openReply(node, Sys.O_RDONLY).error(), "room again after a RELEASE");
            assertEquals(64, f.fs.openHandles());
        }
    }
}
