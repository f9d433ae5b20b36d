package io.drydock.shell.dsl;

import groovy.lang.GString;
import io.drydock.kernel.machine.MachinePart;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.spi.MachineWord;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegate of a {@code machine { ... }} closure. The kernel's words are methods here; any other word
 * reaches {@link #methodMissing} (Groovy calls it for methods a class lacks) and is looked up among the
 * plugins' {@link MachineWord}s: {@code riscv harts: 1} becomes {@code create(Options{harts: 1}, [])} and
 * the part it returns is added to the machine. A word typed alone ({@code riscv}) is a property to Groovy
 * and arrives at {@link #propertyMissing}.
 */
public final class MachineBuilder {
    private final MachineSpec spec;
    private final MachineDsl dsl;

    MachineBuilder(MachineSpec spec, MachineDsl dsl) {
        this.spec = spec;
        this.dsl = dsl;
    }

    /** The spec being filled (for scripts that want to inspect it). */
    public MachineSpec getSpec() { return spec; }

    /** Single-valued words already given, with the value shown in a "given twice" error. */
    private final Map<String, String> given = new LinkedHashMap<>();

    /** A machine has one memory size, one kernel, one name ...: a second one is a mistake, not an override. */
    private void once(String word, Object value) {
        String before = given.putIfAbsent(word, String.valueOf(value));
        if (before != null) {
            throw new IllegalArgumentException(word + " given twice (" + before + ", then " + value
                    + "): a machine has one; keep one of them");
        }
    }

    public void memory(Object size) {
        once("memory", size instanceof Number n ? Sizes.format(n.longValue()) : size);
        long bytes = switch (size) {
            case Number n -> n.longValue();
            case null -> throw new IllegalArgumentException("memory: needs a size, e.g. memory 256.MiB or memory '256M'");
            default -> Sizes.parse(size.toString());
        };
        spec.memory(bytes);
    }

    public void kernel(Object image) {
        once("kernel", image);
        spec.kernel(file("kernel", image, "kernel 'build/guest.elf'"));
    }

    /** {@code bios 'fw_jump.elf'}, {@code bios 'none'} or {@code bios 'default'}, as QEMU's -bios. */
    public void bios(Object firmware) {
        if (firmware == null) throw new IllegalArgumentException("bios: needs a file, 'none' or 'default'");
        once("bios", firmware);
        spec.bios(firmware instanceof File f ? f.getPath() : firmware.toString());
    }

    public void initrd(Object file) {
        once("initrd", file);
        spec.initrd(file("initrd", file, "initrd 'initramfs.cpio'"));
    }

    public void dtb(Object file) {
        once("dtb", file);
        spec.dtb(file("dtb", file, "dtb 'board.dtb'"));
    }

    private static Path file(String word, Object value, String example) {
        return switch (value) {
            case Path path -> path;
            case File f -> f.toPath();
            case null -> throw new IllegalArgumentException(word + ": needs a file, e.g. " + example);
            default -> Path.of(value.toString());
        };
    }

    public void append(Object args) { spec.appendBootargs(args == null ? null : args.toString()); }

    public void name(Object name) {
        once("name", name);
        spec.name(name == null ? null : name.toString());
    }

    public void deterministic(boolean on) {
        once("deterministic", on);
        spec.deterministic(on);
    }

    public void deterministic() { deterministic(true); }

    /** A plugin's word with arguments: {@code mailbox base: 0x10002000}. */
    public Object methodMissing(String name, Object args) {
        MachineWord word = dsl.words().get(name);
        if (word == null) throw dsl.unknownWord(name);
        Object[] a = args instanceof Object[] arr ? arr : new Object[]{args};
        Map<String, Object> named = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (i == 0 && a[i] instanceof Map<?, ?> m) {
                m.forEach((k, v) -> named.put(String.valueOf(k), plain(v)));
            } else {
                positional.add(plain(a[i]));
            }
        }
        MachinePart part = word.create(new Options(name, named), positional);
        if (part == null) throw new IllegalStateException("machine word '" + name + "' returned no part");
        spec.add(part);
        return part;
    }

    /**
     * A plugin's word alone on a line: {@code riscv}. Not a MissingPropertyException for an unknown one:
     * the closure would report the script's own "No such property" instead, losing the suggestion.
     */
    public Object propertyMissing(String name) {
        if (!dsl.words().containsKey(name)) throw dsl.unknownWord(name);
        return methodMissing(name, new Object[0]);
    }

    /** GStrings become Strings, so plugins see plain Java values. */
    private static Object plain(Object v) {
        return v instanceof GString g ? g.toString() : v;
    }

    @Override public String toString() { return spec.toString(); }
}
