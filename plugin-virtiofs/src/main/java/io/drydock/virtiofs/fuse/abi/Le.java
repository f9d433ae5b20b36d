package io.drydock.virtiofs.fuse.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian, unaligned accessors for FUSE wire structs. FUSE over virtio-fs is little-endian for
 * the drivers Drydock supports (virtio 1.x "le" fields; FUSE_INIT byte-swapped opcode is refused), and
 * /dev/fuse on an x86-64 host is little-endian too. Bounds are checked by the segment itself.
 */
public final class Le {
    private Le() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static int u16(MemorySegment s, long off) { return Short.toUnsignedInt(s.get(U16, off)); }

    public static int u32(MemorySegment s, long off) { return s.get(U32, off); }

    public static long u64(MemorySegment s, long off) { return s.get(U64, off); }

    public static void u16(MemorySegment s, long off, int v) { s.set(U16, off, (short) v); }

    public static void u32(MemorySegment s, long off, int v) { s.set(U32, off, v); }

    public static void u64(MemorySegment s, long off, long v) { s.set(U64, off, v); }
}
