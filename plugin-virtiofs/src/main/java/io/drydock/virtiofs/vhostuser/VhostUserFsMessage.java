package io.drydock.virtiofs.vhostuser;

import io.drydock.virtiofs.vhostuser.VhostUserMessage.BadMessage;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.drydock.virtiofs.fuse.abi.Le.u64;

/**
 * The virtio-fs DAX messages of the backend-request channel (VHOST_USER_PROTOCOL_F_BACKEND_REQ, the socket the
 * frontend hands over with SET_BACKEND_REQ_FD): the backend asks the frontend to map a file range into the DAX
 * window (FS_MAP, the file's descriptor passed with SCM_RIGHTS) or to unmap ranges (FS_UNMAP). This is the
 * design of QEMU's virtio-fs development branch and of the Rust virtiofsd (rust-vmm vhost
 * {@code BackendReq::FS_MAP = 6}, {@code FS_UNMAP = 7}, {@code VhostUserFSBackendMsg}); it never reached
 * QEMU's {@code vhost-user.rst}, and QEMU 7.2 has none of it, so in Drydock both ends are ours.
 *
 * <p>Payload, {@value #SIZE} bytes, native (little-endian) order, as four arrays of {@value #ENTRIES}:
 * {@code u64 fd_offset[8]; u64 c_offset[8]; u64 len[8]; u64 flags[8]} — entry {@code i} is
 * {@code (fd_offset[i], c_offset[i], len[i], flags[i])}; entries with {@code len == 0} are unused.
 * {@code c_offset} is the offset in the DAX window ("cache"); flags {@link #MAP_R} and {@link #MAP_W}. In
 * FS_UNMAP, {@code len == ~0} means the whole window. Both are sent with NEED_REPLY; the reply's u64 is 0 for
 * success, else a positive errno (our convention; QEMU's branch answered −1 for every failure, and a backend
 * here reads any other value as EIO).
 */
public final class VhostUserFsMessage {
    private VhostUserFsMessage() {}

    /** VHOST_USER_FS_BACKEND_ENTRIES (SLAVE_ENTRIES): entries in one message. */
    public static final int ENTRIES = 8;
    /** Bytes of the payload: 4 arrays of 8 u64. */
    public static final int SIZE = 4 * 8 * ENTRIES;
    /** VHOST_USER_FS_FLAG_MAP_R / _MAP_W. (Not FUSE's order: FUSE_SETUPMAPPING_FLAG_WRITE is bit 0.) */
    public static final long MAP_R = 1L << 0, MAP_W = 1L << 1;
    /** FS_UNMAP's {@code len} for "the whole window". */
    public static final long WHOLE_WINDOW = -1L;

    /** A name for logs of a backend request (its numbers overlap the frontend's: 6 is also SET_LOG_BASE). */
    public static String name(int request) {
        return switch (request) {
            case VhostUserMessage.BACKEND_FS_MAP -> "FS_MAP";
            case VhostUserMessage.BACKEND_FS_UNMAP -> "FS_UNMAP";
            default -> "backend request " + request;
        };
    }

    /** One range: file offset, window offset, length, flags (all unsigned u64 on the wire). */
    public record Entry(long fdOffset, long cacheOffset, long len, long flags) {}

    /**
     * Decodes an FS_MAP/FS_UNMAP payload: exactly {@value #SIZE} bytes, flags only R|W. Returns the used
     * entries (len ≠ 0) in order; none is a bad message too (a request that asks for nothing).
     */
    public static List<Entry> decode(MemorySegment p, int size) throws BadMessage {
        if (size != SIZE) throw new BadMessage("virtio-fs backend message of " + size + " bytes, want " + SIZE);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Entry e = new Entry(u64(p, 8L * i), u64(p, 8L * (ENTRIES + i)), u64(p, 8L * (2 * ENTRIES + i)), u64(p, 8L * (3 * ENTRIES + i)));
            if (e.len() == 0) continue;
            if ((e.flags() & ~(MAP_R | MAP_W)) != 0)
                throw new BadMessage("virtio-fs backend message entry " + i + ": flags 0x" + Long.toHexString(e.flags()));
            out.add(e);
        }
        if (out.isEmpty()) throw new BadMessage("virtio-fs backend message without a range");
        return out;
    }

    /** Writes {@code entries} (1..8) into {@code p}, unused entries zero; returns {@value #SIZE}. */
    public static int encode(MemorySegment p, List<Entry> entries) {
        if (entries.isEmpty() || entries.size() > ENTRIES) throw new IllegalArgumentException(entries.size() + " entries (1.." + ENTRIES + ")");
        p.asSlice(0, SIZE).fill((byte) 0);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            u64(p, 8L * i, e.fdOffset());
            u64(p, 8L * (ENTRIES + i), e.cacheOffset());
            u64(p, 8L * (2 * ENTRIES + i), e.len());
            u64(p, 8L * (3 * ENTRIES + i), e.flags());
        }
        return SIZE;
    }
}
