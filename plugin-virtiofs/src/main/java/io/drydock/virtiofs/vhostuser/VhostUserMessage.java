package io.drydock.virtiofs.vhostuser;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.drydock.virtiofs.fuse.abi.Le.u32;
import static io.drydock.virtiofs.fuse.abi.Le.u64;

/**
 * The vhost-user wire format (QEMU {@code docs/interop/vhost-user.rst}, the protocol QEMU 7.2 speaks): a
 * 12-byte header {@code {u32 request; u32 flags; u32 size}} then {@code size} bytes of payload, little-endian,
 * descriptors passed with the header as SCM_RIGHTS. Decoders here check each payload's size; the
 * {@link VhostUserBackend} checks the values.
 */
public final class VhostUserMessage {
    private VhostUserMessage() {}

    public static final int HEADER_SIZE = 12;
    /** The largest payload accepted (SET_MEM_TABLE with 8 regions is 264 bytes; GET_CONFIG up to 256 + 12). */
    public static final int MAX_PAYLOAD = 4096;

    // vhost-user.rst "Message types" (front-end requests)
    public static final int GET_FEATURES = 1, SET_FEATURES = 2, SET_OWNER = 3, RESET_OWNER = 4, SET_MEM_TABLE = 5,
            SET_LOG_BASE = 6, SET_LOG_FD = 7, SET_VRING_NUM = 8, SET_VRING_ADDR = 9, SET_VRING_BASE = 10,
            GET_VRING_BASE = 11, SET_VRING_KICK = 12, SET_VRING_CALL = 13, SET_VRING_ERR = 14,
            GET_PROTOCOL_FEATURES = 15, SET_PROTOCOL_FEATURES = 16, GET_QUEUE_NUM = 17, SET_VRING_ENABLE = 18,
            SET_BACKEND_REQ_FD = 21, GET_CONFIG = 24, SET_CONFIG = 25, RESET_DEVICE = 34, GET_MAX_MEM_SLOTS = 36,
            ADD_MEM_REG = 37, REM_MEM_REG = 38;
    // back-end requests (the backend-request channel); FS_MAP/FS_UNMAP are the virtio-fs DAX design's
    // (QEMU's virtio-fs development branch, VHOST_USER_SLAVE_FS_MAP = 6, _UNMAP = 7), not in QEMU 7.2
    public static final int BACKEND_FS_MAP = 6, BACKEND_FS_UNMAP = 7;

    /** Header flags: version 1 in bits 0–1, REPLY 1<<2, NEED_REPLY 1<<3. */
    public static final int VERSION = 0x1, VERSION_MASK = 0x3, FLAG_REPLY = 1 << 2, FLAG_NEED_REPLY = 1 << 3;

    // protocol feature bits (VHOST_USER_PROTOCOL_F_*)
    public static final int PROTOCOL_F_MQ = 0, PROTOCOL_F_REPLY_ACK = 3, PROTOCOL_F_BACKEND_REQ = 5,
            PROTOCOL_F_BACKEND_SEND_FD = 10, PROTOCOL_F_RESET_DEVICE = 13;
    /** VHOST_USER_F_PROTOCOL_FEATURES: a virtio feature bit that says GET_PROTOCOL_FEATURES exists. */
    public static final int F_PROTOCOL_FEATURES = 30;
    /** VHOST_F_LOG_ALL (dirty logging for migration): not offered. */
    public static final int F_LOG_ALL = 26;

    /** VHOST_MEMORY_BASELINE_NREGIONS: the most regions one SET_MEM_TABLE carries (and descriptors it passes). */
    public static final int MAX_REGIONS = 8;
    /** SET_VRING_KICK/CALL/ERR u64 payload: bits 0–7 the index, bit 8 "no descriptor" (VHOST_USER_VRING_NOFD_MASK). */
    public static final long VRING_IDX_MASK = 0xff, VRING_NOFD_MASK = 1L << 8;

    public record Header(int request, int flags, int size) {
        public static Header decode(MemorySegment s) { return new Header(u32(s, 0), u32(s, 4), u32(s, 8)); }

        public boolean needReply() { return (flags & FLAG_NEED_REPLY) != 0; }
    }

    /** {@code struct vhost_vring_state {u32 index; u32 num}}. */
    public record VringState(int index, int num) {
        static final int SIZE = 8;
    }

    /** {@code struct vhost_vring_addr {u32 index; u32 flags; u64 desc, used, avail, log}} — QEMU's user addresses. */
    public record VringAddr(int index, int flags, long desc, long used, long avail, long log) {
        static final int SIZE = 40;
        /** VHOST_VRING_F_LOG: log used-ring writes at {@code log}; only with F_LOG_ALL. */
        static final int F_LOG = 1;
    }

    /** One {@code struct vhost_user_memory_region {u64 guest_phys_addr, memory_size, userspace_addr, mmap_offset}}. */
    public record MemRegion(long guestPhysAddr, long size, long userAddr, long mmapOffset) {
        static final int SIZE = 32;

        static MemRegion decode(MemorySegment s, long o) {
            return new MemRegion(u64(s, o), u64(s, o + 8), u64(s, o + 16), u64(s, o + 24));
        }
    }

    static long u64Payload(MemorySegment p, int size) throws BadMessage {
        need(size, 8, "u64");
        return u64(p, 0);
    }

    static VringState vringState(MemorySegment p, int size) throws BadMessage {
        need(size, VringState.SIZE, "vhost_vring_state");
        return new VringState(u32(p, 0), u32(p, 4));
    }

    static VringAddr vringAddr(MemorySegment p, int size) throws BadMessage {
        need(size, VringAddr.SIZE, "vhost_vring_addr");
        return new VringAddr(u32(p, 0), u32(p, 4), u64(p, 8), u64(p, 16), u64(p, 24), u64(p, 32));
    }

    /** {@code struct vhost_user_memory {u32 nregions; u32 padding; regions[nregions]}}, 1..8 regions. */
    static List<MemRegion> memTable(MemorySegment p, int size) throws BadMessage {
        if (size < 8) throw new BadMessage("SET_MEM_TABLE payload of " + size + " bytes");
        long n = u32(p, 0) & 0xffffffffL;
        if (n < 1 || n > MAX_REGIONS) throw new BadMessage("SET_MEM_TABLE with " + n + " regions (1.." + MAX_REGIONS + ")");
        // QEMU sends the whole array of 8 (vhost_user_memory is fixed-size); accept exactly n regions or the full array
        if (size != 8 + MemRegion.SIZE * n && size != 8 + MemRegion.SIZE * MAX_REGIONS)
            throw new BadMessage("SET_MEM_TABLE of " + n + " regions in " + size + " bytes");
        List<MemRegion> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(MemRegion.decode(p, 8 + (long) MemRegion.SIZE * i));
        return out;
    }

    private static void need(int size, int want, String what) throws BadMessage {
        if (size != want) throw new BadMessage(what + " payload of " + size + " bytes, want " + want);
    }

    /** A message that ends the connection; the reason is logged. */
    public static final class BadMessage extends Exception {
        public BadMessage(String reason) { super(reason, null, false, false); }
    }

    /** A name for logs. */
    static String name(int request) {
        return switch (request) {
            case GET_FEATURES -> "GET_FEATURES";
            case SET_FEATURES -> "SET_FEATURES";
            case SET_OWNER -> "SET_OWNER";
            case RESET_OWNER -> "RESET_OWNER";
            case SET_MEM_TABLE -> "SET_MEM_TABLE";
            case SET_LOG_BASE -> "SET_LOG_BASE";
            case SET_LOG_FD -> "SET_LOG_FD";
            case SET_VRING_NUM -> "SET_VRING_NUM";
            case SET_VRING_ADDR -> "SET_VRING_ADDR";
            case SET_VRING_BASE -> "SET_VRING_BASE";
            case GET_VRING_BASE -> "GET_VRING_BASE";
            case SET_VRING_KICK -> "SET_VRING_KICK";
            case SET_VRING_CALL -> "SET_VRING_CALL";
            case SET_VRING_ERR -> "SET_VRING_ERR";
            case GET_PROTOCOL_FEATURES -> "GET_PROTOCOL_FEATURES";
            case SET_PROTOCOL_FEATURES -> "SET_PROTOCOL_FEATURES";
            case GET_QUEUE_NUM -> "GET_QUEUE_NUM";
            case SET_VRING_ENABLE -> "SET_VRING_ENABLE";
            case SET_BACKEND_REQ_FD -> "SET_BACKEND_REQ_FD";
            case GET_CONFIG -> "GET_CONFIG";
            case SET_CONFIG -> "SET_CONFIG";
            case RESET_DEVICE -> "RESET_DEVICE";
            case GET_MAX_MEM_SLOTS -> "GET_MAX_MEM_SLOTS";
            case ADD_MEM_REG -> "ADD_MEM_REG";
            case REM_MEM_REG -> "REM_MEM_REG";
            default -> "request " + request;
        };
    }
}
