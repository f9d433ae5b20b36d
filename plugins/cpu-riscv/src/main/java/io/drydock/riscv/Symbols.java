package io.drydock.riscv;

import io.drydock.kernel.elf.ElfFormatException;
import io.drydock.kernel.elf.ElfImage;
import io.drydock.kernel.machine.Machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The symbols of the ELF a machine boots (its kernel, else its firmware), for the shell's inspectors:
 * {@code <func+0x10>} beside addresses and symbol names wherever an address is asked for
 * ({@code breakAt 'main'}). A machine without an ELF (a raw image) has none; addresses still work.
 */
final class Symbols {
    static final Symbols NONE = new Symbols(null, null);
    private static final Map<Machine, Symbols> CACHE = new WeakHashMap<>();

    private final ElfImage image;
    private final Path file;

    private Symbols(ElfImage image, Path file) {
        this.image = image;
        this.file = file;
    }

    /** The symbols of {@code m}'s kernel or firmware ELF, read once per machine. */
    static Symbols of(Machine m) {
        if (m == null) return NONE;
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(m, Symbols::read);
        }
    }

    private static Symbols read(Machine m) {
        for (Path p : new Path[] {m.spec().kernel(), firmware(m)}) {
            if (p == null || !Files.isRegularFile(p)) continue;
            try {
                ElfImage image = ElfImage.read(p);
                if (!image.symbols().isEmpty()) return new Symbols(image, p);
            } catch (IOException | ElfFormatException e) {
                // a raw image: no symbols there
            }
        }
        return NONE;
    }

    private static Path firmware(Machine m) {
        String bios = m.spec().bios();
        return bios == null || bios.equals("none") || bios.equals("default") ? null : Path.of(bios);
    }

    /** " <name+0x10>" for the symbol containing {@code address}, or "" when none does. */
    String near(long address) {
        String s = image == null ? null : image.symbolize(address);
        return s == null ? "" : " <" + s + ">";
    }

    /** The size of symbol {@code name} in bytes, or 0 when unknown. */
    long size(String name) {
        ElfImage.Symbol s = image == null ? null : image.symbol(name);
        return s == null ? 0 : s.size();
    }

    /** An address given as a number, a symbol name ("main") or a hex string ("0x80000000"). */
    long address(Object where) {
        if (where instanceof Number n) return n.longValue();
        String s = String.valueOf(where).trim();
        ElfImage.Symbol sym = image == null ? null : image.symbol(s);
        if (sym != null) return sym.value();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            try {
                return Long.parseUnsignedLong(s.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an address: " + s);
            }
        }
        throw new IllegalArgumentException(image == null
                ? "no symbol '" + s + "': the machine boots no ELF with symbols (give an address, e.g. 0x80000000)"
                : "no symbol '" + s + "' in " + file.getFileName());
    }
}
