package io.drydock.kernel.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes small ELF64 little-endian executables for tests: PT_LOAD segments and a symbol table. */
final class TestElf {
    record Seg(long paddr, byte[] data, long memSize, int flags) {}
    record Sym(String name, long value, long size, int type) {}

    final List<Seg> segs = new ArrayList<>();
    final List<Sym> syms = new ArrayList<>();
    long entry;
    int machine = ElfImage.EM_RISCV;

    TestElf seg(long paddr, byte[] data, long memSize, int flags) { segs.add(new Seg(paddr, data, memSize, flags)); return this; }

    TestElf sym(String name, long value, long size, int type) { syms.add(new Sym(name, value, size, type)); return this; }

    byte[] build() {
        int phoff = 64, phnum = segs.size();
        int dataOff = phoff + 56 * phnum;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long[] offsets = new long[phnum];
        for (int i = 0; i < phnum; i++) {
            offsets[i] = dataOff + body.size();
            body.writeBytes(segs.get(i).data());
        }
        // .strtab then .symtab (entry 0 is the null symbol)
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer symtab = ByteBuffer.allocate(24 * (syms.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        symtab.position(24);
        for (Sym s : syms) {
            int nameOff = strtab.size();
            strtab.writeBytes(s.name().getBytes(StandardCharsets.UTF_8));
            strtab.write(0);
            symtab.putInt(nameOff).put((byte) (0x10 | s.type())).put((byte) 0).putShort((short) 1)
                    .putLong(s.value()).putLong(s.size());
        }
        long strOff = dataOff + body.size();
        body.writeBytes(strtab.toByteArray());
        long symOff = dataOff + body.size();
        body.writeBytes(symtab.array());
        long shoff = dataOff + body.size();
        int shnum = 3; // null, .symtab, .strtab

        ByteBuffer b = ByteBuffer.allocate((int) shoff + 64 * shnum).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x464c457f).put((byte) 2).put((byte) 1).put((byte) 1);
        b.position(16);
        b.putShort((short) ElfImage.ET_EXEC).putShort((short) machine).putInt(1).putLong(entry)
                .putLong(phoff).putLong(shoff).putInt(0).putShort((short) 64).putShort((short) 56)
                .putShort((short) phnum).putShort((short) 64).putShort((short) shnum).putShort((short) 0);
        for (int i = 0; i < phnum; i++) {
            Seg s = segs.get(i);
            b.putInt(ElfImage.PT_LOAD).putInt(s.flags()).putLong(offsets[i]).putLong(s.paddr()).putLong(s.paddr())
                    .putLong(s.data().length).putLong(s.memSize()).putLong(0x1000);
        }
        b.put(body.toByteArray());
        b.position((int) shoff + 64); // section 0 stays zero
        b.putInt(0).putInt(2).putLong(0).putLong(0).putLong(symOff).putLong(symtab.capacity()).putInt(2).putInt(1)
                .putLong(8).putLong(24);
        b.putInt(0).putInt(3).putLong(0).putLong(0).putLong(strOff).putLong(strtab.size()).putInt(0).putInt(0)
                .putLong(1).putLong(0);
        return b.array();
    }
}
