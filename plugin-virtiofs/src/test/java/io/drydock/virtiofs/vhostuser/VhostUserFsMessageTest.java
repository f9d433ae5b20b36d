package io.drydock.virtiofs.vhostuser;

import io.drydock.virtiofs.fuse.abi.Le;
import io.drydock.virtiofs.vhostuser.VhostUserFsMessage.Entry;
import io.drydock.virtiofs.vhostuser.VhostUserMessage.BadMessage;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The FS_MAP/FS_UNMAP payload: four arrays of 8 u64 (rust-vmm vhost VhostUserFSBackendMsg), checked on decode. */
class VhostUserFsMessageTest {
    private final MemorySegment p = Arena.ofAuto().allocate(VhostUserFsMessage.SIZE, 8);

    @Test
    void layoutIsFourArraysOfEightAndRoundTrips() throws Exception {
        assertEquals(256, VhostUserFsMessage.SIZE);
        List<Entry> in = List.of(new Entry(0x1000, 0x20_0000, 0x4000, VhostUserFsMessage.MAP_R),
                new Entry(0x3000, 0x40_0000, 0x1000, VhostUserFsMessage.MAP_R | VhostUserFsMessage.MAP_W));
        assertEquals(256, VhostUserFsMessage.encode(p, in));
        // entry 1: fd_offset[1] at 8, c_offset[1] at 64 + 8, len[1] at 128 + 8, flags[1] at 192 + 8
        assertEquals(0x3000, Le.u64(p, 8));
        assertEquals(0x40_0000, Le.u64(p, 72));
        assertEquals(0x1000, Le.u64(p, 136));
        assertEquals(3, Le.u64(p, 200));
        assertEquals(0, Le.u64(p, 16 + 128), "unused entries are zero");
        assertEquals(in, VhostUserFsMessage.decode(p, 256));
    }

    @Test
    void unusedEntriesAreSkippedAnywhere() throws Exception {
        VhostUserFsMessage.encode(p, List.of(new Entry(0, 0, 0, 0), new Entry(0, 0x1000, 0x1000, 0)));
        assertEquals(List.of(new Entry(0, 0x1000, 0x1000, 0)), VhostUserFsMessage.decode(p, 256));
    }

    @Test
    void hostilePayloadsAreBadMessages() {
        VhostUserFsMessage.encode(p, List.of(new Entry(0, 0, 0x1000, VhostUserFsMessage.MAP_R)));
        assertThrows(BadMessage.class, () -> VhostUserFsMessage.decode(p, 255), "short");
        assertThrows(BadMessage.class, () -> VhostUserFsMessage.decode(p, 264), "long");
        Le.u64(p, 192, 1L << 2);
        assertThrows(BadMessage.class, () -> VhostUserFsMessage.decode(p, 256), "a flag bit beyond R|W");
        Le.u64(p, 192, 1L << 63);
        assertThrows(BadMessage.class, () -> VhostUserFsMessage.decode(p, 256), "the top flag bit");
        p.fill((byte) 0);
        assertThrows(BadMessage.class, () -> VhostUserFsMessage.decode(p, 256), "no range at all");
        assertThrows(IllegalArgumentException.class, () -> VhostUserFsMessage.encode(p, List.of()));
        assertThrows(IllegalArgumentException.class, () -> VhostUserFsMessage.encode(p,
                java.util.Collections.nCopies(9, new Entry(0, 0, 1, 0))));
    }

    @Test
    void backendRequestNamesAreNotTheFrontends() {
        assertEquals("FS_MAP", VhostUserFsMessage.name(VhostUserMessage.BACKEND_FS_MAP));
        assertEquals("FS_UNMAP", VhostUserFsMessage.name(VhostUserMessage.BACKEND_FS_UNMAP));
        assertEquals("SET_LOG_BASE", VhostUserMessage.name(6), "6 is also a frontend request: names depend on the channel");
    }
}
