package io.drydock.kernel.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed ELF64 little-endian image (System V gABI, "ELF-64 Object File Format"): header, program
 * segments, and the symbol table if present. Every offset and size read from the file is checked against
 * the file's length here, so a truncated or hostile file gives an {@link ElfFormatException}, never an
 * index error. Immutable.
 */
public final class ElfImage {
    public static final int EM_RISCV = 243;
    public static final int PT_LOAD = 1;
    public static final int ET_EXEC = 2, ET_DYN = 3;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int SHT_SYMTAB = 2;

    /** A program header. */
    public record Segment(int type, int flags, long offset, long vaddr, long paddr, long fileSize, long memSize, long align) {
        public boolean isLoad() { return type == PT_LOAD; }
    }

    /** A symbol-table entry: STT type (0 notype, 1 object, 2 func), value, size. */
    public record Symbol(String name, long value, long size, int type) {}

    private final byte[] bytes;
    private final int type;
    private final int machine;
    private final long entry;
    private final long phoff;
    private final int phentsize;
    private final int phnum;
    private final List<Segment> segments;
    private final Map<String, Symbol> symbols;
    private final List<Symbol> sortedSymbols;

    private ElfImage(byte[] bytes) throws ElfFormatException {
        this.bytes = bytes;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64) throw new ElfFormatException("too short for an ELF64 header: " + bytes.length + " bytes");
        if (b.getInt(0) != 0x464c457f) throw new ElfFormatException("not an ELF file (no \\x7fELF magic)");
        if (bytes[4] != 2) throw new ElfFormatException("not a 64-bit ELF (EI_CLASS " + bytes[4] + ")");
        if (bytes[5] != 1) throw new ElfFormatException("not little-endian (EI_DATA " + bytes[5] + ")");
        type = b.getShort(16) & 0xffff;
        machine = b.getShort(18) & 0xffff;
        entry = b.getLong(24);
        phoff = b.getLong(32);
        long shoff = b.getLong(40);
        phentsize = b.getShort(54) & 0xffff;
        phnum = b.getShort(56) & 0xffff;
        int shentsize = b.getShort(58) & 0xffff;
        int shnum = b.getShort(60) & 0xffff;
        if (type != ET_EXEC && type != ET_DYN) throw new ElfFormatException("not an executable (e_type " + type + ")");
        if (phnum > 0 && phentsize < 56) throw new ElfFormatException("program header entries too small: " + phentsize);
        checkRange(phoff, (long) phnum * phentsize, "program headers");
        List<Segment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            Segment s = new Segment(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16),
                    b.getLong(o + 24), b.getLong(o + 32), b.getLong(o + 40), b.getLong(o + 48));
            if (s.isLoad()) {
                checkRange(s.offset(), s.fileSize(), "segment " + i);
                if (s.memSize() < s.fileSize()) throw new ElfFormatException("segment " + i + ": p_memsz < p_filesz");
            }
            segs.add(s);
        }
        segments = List.copyOf(segs);
        Map<String, Symbol> syms = new LinkedHashMap<>();
        if (shnum > 0 && shoff != 0) readSymbols(b, shoff, shentsize, shnum, syms);
        symbols = Collections.unmodifiableMap(syms);
        List<Symbol> sorted = new ArrayList<>(syms.values());
        sorted.removeIf(s -> s.value() == 0 || s.type() > 2);
        sorted.sort((s, t) -> Long.compare(s.value(), t.value())); // not comparingLong: its lambda is spun at every start
        sortedSymbols = List.copyOf(sorted);
    }

    public static ElfImage parse(byte[] bytes) throws ElfFormatException { return new ElfImage(bytes.clone()); }

    public static ElfImage read(Path file) throws IOException, ElfFormatException {
        try {
            return new ElfImage(Files.readAllBytes(file));
        } catch (ElfFormatException e) {
            throw new ElfFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private void readSymbols(ByteBuffer b, long shoff, int shentsize, int shnum, Map<String, Symbol> out) throws ElfFormatException {
        if (shentsize < 64) throw new ElfFormatException("section header entries too small: " + shentsize);
        checkRange(shoff, (long) shnum * shentsize, "section headers");
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * shentsize);
            if (b.getInt(o + 4) != SHT_SYMTAB) continue;
            long off = b.getLong(o + 24), size = b.getLong(o + 32), entsize = b.getLong(o + 56);
            int link = b.getInt(o + 40);
            if (entsize < 24 || link < 0 || link >= shnum) throw new ElfFormatException("bad symbol table header");
            checkRange(off, size, "symbol table");
            int lo = (int) (shoff + (long) link * shentsize);
            long stroff = b.getLong(lo + 24), strsize = b.getLong(lo + 32);
            checkRange(stroff, strsize, "string table");
            for (long e = 0; e + entsize <= size; e += entsize) {
                int so = (int) (off + e);
                int nameOff = b.getInt(so);
                int info = bytes[so + 4] & 0xff;
                long value = b.getLong(so + 8), symSize = b.getLong(so + 16);
                if (nameOff <= 0 || nameOff >= strsize) continue;
                String name = cString((int) (stroff + nameOff), (int) (stroff + strsize));
                if (!name.isEmpty()) out.putIfAbsent(name, new Symbol(name, value, symSize, info & 0xf));
            }
        }
    }

    private String cString(int from, int limit) {
        int end = from;
        while (end < limit && bytes[end] != 0) end++;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    private void checkRange(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > bytes.length || length > bytes.length - offset) {
            throw new ElfFormatException(what + " at offset " + offset + " (+" + length + ") lies outside the "
                    + bytes.length + "-byte file");
        }
    }

    public int type() { return type; }

    /** e_machine: 243 for RISC-V. */
    public int machine() { return machine; }

    public long entry() { return entry; }

    public long programHeaderOffset() { return phoff; }

    public int programHeaderEntrySize() { return phentsize; }

    public int programHeaderCount() { return phnum; }

    public List<Segment> segments() { return segments; }

    public List<Segment> loadSegments() { return segments.stream().filter(Segment::isLoad).toList(); }

    /** The lowest physical address of a PT_LOAD segment (where QEMU's -kernel starts a bare ELF). */
    public long lowestLoadAddress() {
        return loadSegments().stream().mapToLong(Segment::paddr).min().orElse(entry);
    }

    public Map<String, Symbol> symbols() { return symbols; }

    public Symbol symbol(String name) { return symbols.get(name); }

    /** "name+0x10" for the function or object containing {@code address}, or null. */
    public String symbolize(long address) {
        int lo = 0, hi = sortedSymbols.size() - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedSymbols.get(mid).value() <= address) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        if (found < 0) return null;
        Symbol s = sortedSymbols.get(found);
        long off = address - s.value();
        if (s.size() > 0 && off >= s.size()) return null;
        return off == 0 ? s.name() : s.name() + "+0x" + Long.toHexString(off);
    }

    /** The bytes of a segment as stored in the file. */
    public byte[] segmentBytes(Segment s) {
        return java.util.Arrays.copyOfRange(bytes, (int) s.offset(), (int) (s.offset() + s.fileSize()));
    }
}
