package io.drydock.virtiofs.fuse.abi;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Struct sizes and field offsets against Linux include/uapi/linux/fuse.h (x86-64 gcc layout, which is
 * also what the FUSE_COMPAT_* size constants there state).
 */
class FuseAbiTest {
    private record Case(String struct, int declared, int linux, BiConsumer<MemorySegment, Long> encode) {}

    private static final FuseAttrs.Attr ATTR = new FuseAttrs.Attr(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

    @TestFactory
    List<DynamicTest> sizesMatchFuseH() {
        List<Case> cases = List.of(
                new Case("fuse_in_header", FuseHeaders.InHeader.SIZE, 40, (s, o) -> new FuseHeaders.InHeader(1, 2, 3, 4, 5, 6, 7, 8).encode(s, o)),
                new Case("fuse_out_header", FuseHeaders.OutHeader.SIZE, 16, (s, o) -> new FuseHeaders.OutHeader(1, 2, 3).encode(s, o)),
                new Case("fuse_attr", FuseAttrs.Attr.SIZE, 88, ATTR::encode),
                new Case("fuse_entry_out", FuseAttrs.EntryOut.SIZE, 128, (s, o) -> new FuseAttrs.EntryOut(1, 2, 3, 4, 5, 6, ATTR).encode(s, o)),
                new Case("fuse_attr_out", FuseAttrs.AttrOut.SIZE, 104, (s, o) -> new FuseAttrs.AttrOut(1, 2, ATTR).encode(s, o)),
                new Case("fuse_getattr_in", FuseAttrs.GetattrIn.SIZE, 16, (s, o) -> new FuseAttrs.GetattrIn(1, 2).encode(s, o)),
                new Case("fuse_setattr_in", FuseAttrs.SetattrIn.SIZE, 88, (s, o) -> new FuseAttrs.SetattrIn(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13).encode(s, o)),
                new Case("fuse_init_in", FuseInit.InitIn.SIZE, 64, (s, o) -> new FuseInit.InitIn(7, 38, 3, 4).encode(s, o)),
                new Case("fuse_init_out", FuseInit.InitOut.SIZE, 64, (s, o) -> new FuseInit.InitOut(7, 38, 1, 2, 3, 4, 5, 6, 7, 8).encode(s, o)),
                new Case("fuse_open_in", FuseFileIo.OpenIn.SIZE, 8, (s, o) -> new FuseFileIo.OpenIn(1, 2).encode(s, o)),
                new Case("fuse_open_out", FuseFileIo.OpenOut.SIZE, 16, (s, o) -> new FuseFileIo.OpenOut(1, 2).encode(s, o)),
                new Case("fuse_create_in", FuseFileIo.CreateIn.SIZE, 16, (s, o) -> new FuseFileIo.CreateIn(1, 2, 3, 4).encode(s, o)),
                new Case("fuse_release_in", FuseFileIo.ReleaseIn.SIZE, 24, (s, o) -> new FuseFileIo.ReleaseIn(1, 2, 3, 4).encode(s, o)),
                new Case("fuse_flush_in", FuseFileIo.FlushIn.SIZE, 24, (s, o) -> new FuseFileIo.FlushIn(1, 2).encode(s, o)),
                new Case("fuse_read_in", FuseFileIo.ReadIn.SIZE, 40, (s, o) -> new FuseFileIo.ReadIn(1, 2, 3, 4, 5, 6).encode(s, o)),
                new Case("fuse_write_in", FuseFileIo.WriteIn.SIZE, 40, (s, o) -> new FuseFileIo.WriteIn(1, 2, 3, 4, 5, 6).encode(s, o)),
                new Case("fuse_write_out", FuseFileIo.WriteOut.SIZE, 8, (s, o) -> new FuseFileIo.WriteOut(1).encode(s, o)),
                new Case("fuse_fsync_in", FuseFileIo.FsyncIn.SIZE, 16, (s, o) -> new FuseFileIo.FsyncIn(1, 2).encode(s, o)),
                new Case("fuse_lseek_in", FuseFileIo.LseekIn.SIZE, 24, (s, o) -> new FuseFileIo.LseekIn(1, 2, 3).encode(s, o)),
                new Case("fuse_lseek_out", FuseFileIo.LseekOut.SIZE, 8, (s, o) -> new FuseFileIo.LseekOut(1).encode(s, o)),
                new Case("fuse_fallocate_in", FuseFileIo.FallocateIn.SIZE, 32, (s, o) -> new FuseFileIo.FallocateIn(1, 2, 3, 4).encode(s, o)),
                new Case("fuse_copy_file_range_in", FuseFileIo.CopyFileRangeIn.SIZE, 56, (s, o) -> new FuseFileIo.CopyFileRangeIn(1, 2, 3, 4, 5, 6, 7).encode(s, o)),
                new Case("fuse_mkdir_in", FuseDirs.MkdirIn.SIZE, 8, (s, o) -> new FuseDirs.MkdirIn(1, 2).encode(s, o)),
                new Case("fuse_mknod_in", FuseDirs.MknodIn.SIZE, 16, (s, o) -> new FuseDirs.MknodIn(1, 2, 3).encode(s, o)),
                new Case("fuse_rename_in", FuseDirs.RenameIn.SIZE, 8, (s, o) -> new FuseDirs.RenameIn(1).encode(s, o)),
                new Case("fuse_rename2_in", FuseDirs.Rename2In.SIZE, 16, (s, o) -> new FuseDirs.Rename2In(1, 2).encode(s, o)),
                new Case("fuse_link_in", FuseDirs.LinkIn.SIZE, 8, (s, o) -> new FuseDirs.LinkIn(1).encode(s, o)),
                new Case("fuse_kstatfs", FuseMisc.StatfsOut.SIZE, 80, (s, o) -> new FuseMisc.StatfsOut(1, 2, 3, 4, 5, 6, 7, 8).encode(s, o)),
                new Case("fuse_forget_in", FuseMisc.ForgetIn.SIZE, 8, (s, o) -> new FuseMisc.ForgetIn(1).encode(s, o)),
                new Case("fuse_forget_one", FuseMisc.ForgetOne.SIZE, 16, (s, o) -> new FuseMisc.ForgetOne(1, 2).encode(s, o)),
                new Case("fuse_batch_forget_in", FuseMisc.BatchForgetIn.SIZE, 8, (s, o) -> new FuseMisc.BatchForgetIn(1).encode(s, o)),
                new Case("fuse_interrupt_in", FuseMisc.InterruptIn.SIZE, 8, (s, o) -> new FuseMisc.InterruptIn(1).encode(s, o)),
                new Case("fuse_access_in", FuseMisc.AccessIn.SIZE, 8, (s, o) -> new FuseMisc.AccessIn(1).encode(s, o)),
                new Case("fuse_setxattr_in", FuseMisc.SetxattrIn.SIZE, 16, (s, o) -> new FuseMisc.SetxattrIn(1, 2).encode(s, o)),
                new Case("fuse_getxattr_in", FuseMisc.GetxattrIn.SIZE, 8, (s, o) -> new FuseMisc.GetxattrIn(1).encode(s, o)),
                new Case("fuse_getxattr_out", FuseMisc.GetxattrOut.SIZE, 8, (s, o) -> new FuseMisc.GetxattrOut(1).encode(s, o)),
                new Case("fuse_setupmapping_in", FuseDax.SetupmappingIn.SIZE, 40, (s, o) -> new FuseDax.SetupmappingIn(1, 2, 3, 4, 5).encode(s, o)),
                new Case("fuse_removemapping_in", FuseDax.RemovemappingIn.SIZE, 4, (s, o) -> new FuseDax.RemovemappingIn(1).encode(s, o)),
                new Case("fuse_removemapping_one", FuseDax.RemovemappingOne.SIZE, 16, (s, o) -> new FuseDax.RemovemappingOne(1, 2).encode(s, o)));
        return cases.stream().map(c -> dynamicTest(c.struct() + " is " + c.linux() + " bytes", () -> {
            assertEquals(c.linux(), c.declared());
            // the codec writes exactly inside SIZE: it fits a SIZE-byte segment and overflows a smaller one
            c.encode().accept(MemorySegment.ofArray(new byte[c.linux()]), 0L);
            assertThrows(IndexOutOfBoundsException.class, () -> c.encode().accept(MemorySegment.ofArray(new byte[c.linux() - 1]), 0L));
        })).toList();
    }

    @Test
    void direntSizesAreHeaderPlusNamePaddedTo8() {
        assertEquals(24, FuseDirs.DIRENT_HEADER);
        assertEquals(152, FuseDirs.DIRENTPLUS_HEADER);
        assertEquals(32, FuseDirs.direntSize(1));
        assertEquals(32, FuseDirs.direntSize(8));
        assertEquals(40, FuseDirs.direntSize(9));
        assertEquals(160, FuseDirs.direntplusSize(1));
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        s.fill((byte) 0x55);
        int n = new FuseDirs.Dirent(7, 9, 4, "abc".getBytes()).encode(s, 0);
        assertEquals(32, n);
        assertEquals(3, Le.u32(s, 16), "namelen @16");
        assertEquals(4, Le.u32(s, 20), "type @20");
        assertEquals('a', s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 24));
        assertEquals(0, s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 31), "padding zeroed");
        assertEquals(0x55, s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 32), "nothing past the record");
    }

    @Test
    void fieldOffsetsMatchFuseH() {
        MemorySegment s = MemorySegment.ofArray(new byte[128]);
        new FuseAttrs.EntryOut(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, ATTR).encode(s, 0);
        assertEquals(0x33, Le.u64(s, 16), "entry_valid @16");
        assertEquals(0x55, Le.u64(s, 24), "attr_valid @24");
        assertEquals(0x44, Le.u32(s, 32), "entry_valid_nsec @32");
        assertEquals(0x66, Le.u32(s, 36), "attr_valid_nsec @36");
        assertEquals(10, Le.u32(s, 40 + 60), "attr.mode @60");
        assertEquals(14, Le.u32(s, 40 + 76), "attr.rdev @76");
        assertEquals(16, Le.u32(s, 40 + 84), "attr.flags @84");

        MemorySegment i = MemorySegment.ofArray(new byte[64]);
        new FuseInit.InitOut(7, 38, 0x1000, (1L << 33) | 0x40000000L, 9, 10, 1 << 20, 1, 256, 21).encode(i, 0);
        assertEquals(9, Le.u16(i, 16), "max_background @16");
        assertEquals(10, Le.u16(i, 18), "congestion_threshold @18");
        assertEquals(1 << 20, Le.u32(i, 20), "max_write @20");
        assertEquals(1, Le.u32(i, 24), "time_gran @24");
        assertEquals(256, Le.u16(i, 28), "max_pages @28");
        assertEquals(21, Le.u16(i, 30), "map_alignment @30");
        assertEquals(0x40000000, Le.u32(i, 12), "flags @12");
        assertEquals(2, Le.u32(i, 32), "flags2 @32 carries bit 33 as bit 1");

        MemorySegment h = MemorySegment.ofArray(new byte[40]);
        new FuseHeaders.InHeader(40, 15, 0x0102030405060708L, 9, 10, 11, 12, 3).encode(h, 0);
        assertEquals(0x0807060504030201L, Long.reverseBytes(Le.u64(h, 8)), "little-endian unique @8");
        assertEquals(0x08, h.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 8), "least significant byte first");
        assertEquals(3, Le.u16(h, 36), "total_extlen @36");

        MemorySegment sa = MemorySegment.ofArray(new byte[88]);
        new FuseAttrs.SetattrIn(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0644, 1000, 1001).encode(sa, 0);
        assertEquals(0644, Le.u32(sa, 68), "setattr mode @68");
        assertEquals(1000, Le.u32(sa, 76), "setattr uid @76");
        assertEquals(1001, Le.u32(sa, 80), "setattr gid @80");
    }

    @Test
    void opcodesHaveTheirFuseHNumbers() {
        assertEquals(48, FuseOpcode.SETUPMAPPING.code());
        assertEquals(49, FuseOpcode.REMOVEMAPPING.code());
        assertEquals(50, FuseOpcode.SYNCFS.code());
        assertEquals(45, FuseOpcode.RENAME2.code());
        assertEquals(26, FuseOpcode.INIT.code());
        assertEquals(4096, FuseOpcode.CUSE_INIT.code());
        assertEquals(null, FuseOpcode.of(7));
        assertEquals(null, FuseOpcode.of(19));
        for (FuseOpcode op : FuseOpcode.values()) assertEquals(op, FuseOpcode.of(op.code()));
    }
}
