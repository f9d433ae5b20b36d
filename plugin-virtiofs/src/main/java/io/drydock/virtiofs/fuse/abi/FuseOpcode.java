package io.drydock.virtiofs.fuse.abi;

/** FUSE request opcodes (linux/fuse.h {@code enum fuse_opcode}; 7 and 19 are unused). */
public enum FuseOpcode {
    LOOKUP(1), FORGET(2), GETATTR(3), SETATTR(4), READLINK(5), SYMLINK(6), MKNOD(8), MKDIR(9), UNLINK(10),
    RMDIR(11), RENAME(12), LINK(13), OPEN(14), READ(15), WRITE(16), STATFS(17), RELEASE(18), FSYNC(20),
    SETXATTR(21), GETXATTR(22), LISTXATTR(23), REMOVEXATTR(24), FLUSH(25), INIT(26), OPENDIR(27), READDIR(28),
    RELEASEDIR(29), FSYNCDIR(30), GETLK(31), SETLK(32), SETLKW(33), ACCESS(34), CREATE(35), INTERRUPT(36),
    BMAP(37), DESTROY(38), IOCTL(39), POLL(40), NOTIFY_REPLY(41), BATCH_FORGET(42), FALLOCATE(43),
    READDIRPLUS(44), RENAME2(45), LSEEK(46), COPY_FILE_RANGE(47), SETUPMAPPING(48), REMOVEMAPPING(49),
    SYNCFS(50), TMPFILE(51), STATX(52), COPY_FILE_RANGE_64(53), CUSE_INIT(4096);

    private final int code;
    private static final FuseOpcode[] BY_CODE = new FuseOpcode[54];

    static {
        for (FuseOpcode op : values()) if (op.code < BY_CODE.length) BY_CODE[op.code] = op;
    }

    FuseOpcode(int code) { this.code = code; }

    public int code() { return code; }

    /** The opcode for a wire value, or null for an unknown one (the server replies ENOSYS). */
    public static FuseOpcode of(int code) {
        if (code >= 0 && code < BY_CODE.length) return BY_CODE[code];
        return code == CUSE_INIT.code ? CUSE_INIT : null;
    }

    /**
     * fuse.h: FORGET and BATCH_FORGET get no reply, nor does NOTIFY_REPLY (it is itself the answer to a
     * RETRIEVE notification); INTERRUPT gets none from this server either.
     */
    public boolean hasReply() {
        return this != FORGET && this != BATCH_FORGET && this != INTERRUPT && this != NOTIFY_REPLY;
    }
}
