package io.drydock.shell.dsl;

import groovy.lang.Closure;
import io.drydock.kernel.machine.Extensions;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.machine.Suggestions;
import io.drydock.kernel.spi.MachineWord;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The machine DSL of a session: {@code machine { riscv harts: 1; memory 256.MiB }} runs the closure against
 * a {@link MachineBuilder} that knows the kernel's words and every plugin's {@link MachineWord}, then builds
 * the machine. Used on the evaluating thread.
 */
public final class MachineDsl {
    /** The words every machine understands, with their help lines. */
    public static final Map<String, String> KERNEL_WORDS = Map.of(
            "memory", "memory SIZE — guest RAM (256.MiB, '256M'); default 128 MiB",
            "kernel", "kernel 'FILE' — the guest image to load: an ELF, or a raw RISC-V Linux Image",
            "bios", "bios 'FILE' — firmware (ELF, or raw at the start of RAM); 'none'; default: OpenSBI for a Linux Image",
            "initrd", "initrd 'FILE' — initial RAM disk for the kernel (linux,initrd-start/-end in /chosen)",
            "dtb", "dtb 'FILE' — a device tree blob that replaces the generated one",
            "append", "append 'ARGS' — append to the kernel command line",
            "name", "name 'm1' — the machine's name",
            "deterministic", "deterministic true — device work inline, one hart: reproducible runs");

    private final Map<String, MachineWord> words;
    private final Consumer<Machine> onBuilt;
    private final Extensions extensions;

    /**
     * @param words   the plugins' words; on a name clash the first wins and the others are reported
     * @param onBuilt called with every machine built (the session keeps a list)
     * @param clash   told about each word left out because of a clash
     */
    public MachineDsl(List<MachineWord> words, Consumer<Machine> onBuilt, Consumer<String> clash) {
        this(words, Extensions.NONE, onBuilt, clash);
    }

    /**
     * @param extensions the plugins' extensions every machine's parts may look up while assembling (the
     *                   session's PF4J lookup)
     */
    public MachineDsl(List<MachineWord> words, Extensions extensions, Consumer<Machine> onBuilt, Consumer<String> clash) {
        Map<String, MachineWord> byName = new TreeMap<>();
        for (MachineWord w : words) {
            String n = w.name();
            if (KERNEL_WORDS.containsKey(n) || byName.containsKey(n)) {
                clash.accept("machine word '" + n + "' of " + w.getClass().getName() + " is already defined; ignored");
                continue;
            }
            byName.put(n, w);
        }
        this.words = Collections.unmodifiableMap(byName);
        this.onBuilt = onBuilt;
        this.extensions = extensions;
    }

    /** The plugins' words by name. */
    public Map<String, MachineWord> words() { return words; }

    /** Every word, kernel and plugin, sorted. */
    public List<String> allWords() {
        TreeSet<String> all = new TreeSet<>(KERNEL_WORDS.keySet());
        all.addAll(words.keySet());
        return List.copyOf(all);
    }

    /** Runs {@code body} against a builder and returns the spec, not yet built. */
    public MachineSpec spec(Map<String, ?> options, Closure<?> body) {
        MachineSpec spec = new MachineSpec().extensions(extensions);
        Options o = new Options("machine", options);
        if (o.has("name")) spec.name(o.requireString("name"));
        o.finish();
        if (body != null) {
            Closure<?> c = (Closure<?>) body.clone();
            c.setDelegate(new MachineBuilder(spec, this));
            // Owner first: the script's own methods and variables win over words, so a helper named like
            // a word still works; words are reached when the script has no such method.
            c.setResolveStrategy(Closure.OWNER_FIRST);
            c.call(spec);
        }
        return spec;
    }

    /** Builds the machine {@code body} describes; it is returned created, not started. */
    public Machine machine(Map<String, ?> options, Closure<?> body) {
        Machine m = spec(options, body).build();
        onBuilt.accept(m);
        return m;
    }

    IllegalArgumentException unknownWord(String name) {
        String hint = Suggestions.didYouMean(name, allWords());
        return new IllegalArgumentException("unknown word '" + name + "'" + (hint.isEmpty() ? ": not a variable or machine word" : hint)
                + " (words: " + String.join(", ", allWords()) + ")");
    }
}
