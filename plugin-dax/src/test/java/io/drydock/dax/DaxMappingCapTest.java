package io.drydock.dax;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.Sys;
import io.drydock.kernel.testing.FakeGuestMemory;
import io.drydock.virtiofs.fuse.abi.FuseDax.RemovemappingOne;
import io.drydock.virtiofs.fuse.abi.FuseDax.SetupmappingIn;
import io.drydock.virtiofs.fuse.dax.DaxWindow;
import io.drydock.virtiofs.fuse.filesystem.FuseContext;
import io.drydock.virtiofs.fuse.filesystem.FuseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static io.drydock.virtiofs.fuse.abi.FuseDax.FLAG_READ;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue #11 finding 2: ~32,000 scattered 4 KiB SETUPMAPPINGs in a 1 GiB window pushed the process past
 * vm.max_map_count and the JVM aborted ("Native memory allocation (mmap) failed"). Now the window refuses
 * with ENOMEM past its cap, adjacent ranges of one file merge into one host mapping, and the JVM goes on.
 */
class DaxMappingCapTest {
    static final long PAGE = 4096, MIB = 1 << 20, GIB = 1L << 30, WINDOW = 0x10_0000_0000L;
    @TempDir Path dir;
    FakeGuestMemory ram;
    DaxWindowEngine dax;
    Path file;
    final FuseContext ctx = new FuseContext(1, 1, 0, 0, 1);
    final DaxWindow.FileOpener opener = (nodeid, fh, writable) ->
            Sys.openat(Sys.AT_FDCWD, file.toString().getBytes(StandardCharsets.UTF_8), Sys.O_RDONLY | Sys.O_CLOEXEC, 0);

    @BeforeEach void setUp() throws Exception {
        ram = new FakeGuestMemory();
        file = Files.write(dir.resolve("f"), new byte[(int) MIB]);
    }

    @AfterEach void tearDown() {
        if (dax != null) dax.close();
        ram.close();
    }

    private int map(long foffset, long len, long moffset) {
        try {
            dax.setupMapping(ctx, 2, new SetupmappingIn(-1, foffset, len, FLAG_READ, moffset), opener);
            return 0;
        } catch (FuseException e) {
            return e.errno();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void scatteredPageMappingsOfAGibWindowEndInEnomemNotAJvmAbort() throws Exception {
        dax = new DaxWindowEngine("fs", GIB, 12, ram.bus(), ram.metrics());
        dax.place(OptionalLong.of(WINDOW));
        assertTrue(dax.maxMappings() < 32_000, "the cap stays under vm.max_map_count / 2: " + dax.maxMappings());
        int ok = 0, enomem = 0;
        for (long k = 0; k < 40_000; k++) { // every other page of the window, the same file page: nothing merges
            int e = map(0, PAGE, 2 * k * PAGE);
            if (e == 0) ok++;
            else { assertEquals(Errno.ENOMEM, e); enomem++; }
        }
        assertEquals(dax.maxMappings() - 1, ok, "mapped up to the cap (less the room a split needs)");
        assertEquals(40_000 - ok, enomem);
        assertEquals(ok, dax.mappingCount());
        // the JVM is fine: it can still map memory of its own, and the guest recovers by removing ranges
        byte[] big = new byte[64 << 20];
        assertEquals(64 << 20, big.length);
        dax.removeMapping(ctx, List.of(new RemovemappingOne(0, GIB)));
        assertEquals(0, dax.mappingCount());
        assertEquals(0, map(0, PAGE, 0));
    }

    @Test
    void adjacentRangesOfOneFileMergeIntoOneMapping() throws Exception {
        dax = new DaxWindowEngine("fs", 64 * MIB, 12, ram.bus(), ram.metrics(), new MapCountBudget(8));
        dax.place(OptionalLong.of(WINDOW));
        for (long k = 0; k < 256; k++) assertEquals(0, map(k * PAGE, PAGE, k * PAGE), "page " + k);
        assertEquals(1, dax.mappingCount(), "256 contiguous pages of one file: one mapping");
        assertEquals(MIB, dax.mappings().getFirst().length());
        // backwards too: a range that ends where a live one starts joins it
        assertEquals(0, map(2 * PAGE, PAGE, 10 * MIB + 2 * PAGE));
        assertEquals(0, map(PAGE, PAGE, 10 * MIB + PAGE));
        assertEquals(2, dax.mappingCount());
        // not contiguous in the file: no merge; and the small budget refuses the rest with ENOMEM
        assertEquals(0, map(0, PAGE, 20 * MIB));
        assertEquals(0, map(0, PAGE, 20 * MIB + PAGE));
        assertEquals(4, dax.mappingCount());
        assertEquals(0, map(0, PAGE, 30 * MIB));
        assertEquals(0, map(0, PAGE, 31 * MIB));
        assertEquals(0, map(0, PAGE, 32 * MIB));
        assertEquals(Errno.ENOMEM, map(0, PAGE, 33 * MIB), "7 live + a possible split would pass the budget of 8");
        assertEquals(7, dax.mappingCount());
        byte[] b = new byte[8];
        ram.memory().read(WINDOW + 5 * PAGE, b); // the merged mapping still reads the file (zeros here)
        assertArrayEquals(new byte[8], b);
    }
}
