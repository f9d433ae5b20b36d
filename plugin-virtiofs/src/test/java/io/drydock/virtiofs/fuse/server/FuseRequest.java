package io.drydock.virtiofs.fuse.server;

import io.drydock.virtiofs.fuse.abi.FuseHeaders;
import io.drydock.virtiofs.fuse.abi.FuseOpcode;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** Builds FUSE requests as a client (a guest kernel) would: header, then structs, names and data. */
public final class FuseRequest {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int opcode;
    private final long nodeid;
    private long unique = 1;
    private int uid, gid, pid;

    private FuseRequest(int opcode, long nodeid) {
        this.opcode = opcode;
        this.nodeid = nodeid;
    }

    public static FuseRequest of(FuseOpcode op, long nodeid) { return new FuseRequest(op.code(), nodeid); }

    public static FuseRequest raw(int opcode, long nodeid) { return new FuseRequest(opcode, nodeid); }

    public FuseRequest unique(long u) { unique = u; return this; }

    public FuseRequest caller(int uid, int gid) { this.uid = uid; this.gid = gid; return this; }

    /** Appends a struct of {@code size} bytes written by {@code encoder(segment, 0)}. */
    public FuseRequest struct(int size, BiConsumer<MemorySegment, Long> encoder) {
        MemorySegment s = MemorySegment.ofArray(new byte[size]);
        encoder.accept(s, 0L);
        body.writeBytes(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        return this;
    }

    public FuseRequest name(String n) { return bytes(n.getBytes(StandardCharsets.UTF_8)).bytes(new byte[1]); }

    public FuseRequest bytes(byte[] b) { body.writeBytes(b); return this; }

    public long unique() { return unique; }

    /** The request in native memory, header {@code len} = actual length. */
    public MemorySegment build(Arena arena) {
        byte[] b = body.toByteArray();
        MemorySegment s = arena.allocate(FuseHeaders.InHeader.SIZE + b.length);
        new FuseHeaders.InHeader((int) s.byteSize(), opcode, unique, nodeid, uid, gid, pid, 0).encode(s, 0);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, s, FuseHeaders.InHeader.SIZE, b.length);
        return s;
    }
}
