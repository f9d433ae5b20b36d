package io.drydock.kernel.machine;

import io.drydock.kernel.memory.Sizes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a machine is made of, before it exists: machine-wide settings and the parts plugins contributed.
 * Filled by the machine DSL ({@code machine { riscv harts: 2; memory 256.MiB; kernel 'x.elf' }}) or by a
 * command line ({@code scripts/run}); {@link #build()} assembles it. Not thread-safe (one builder thread).
 */
public final class MachineSpec {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private String name = "m" + COUNTER.incrementAndGet();
    private long memoryBytes = 128 * Sizes.MiB;
    private Path kernel;
    private String bios;
    private Path initrd;
    private Path dtb;
    private String bootargs = "";
    private boolean deterministic;
    private boolean sharedRam;
    private Extensions extensions = Extensions.NONE;
    private final List<MachinePart> parts = new ArrayList<>();

    public String name() { return name; }

    public MachineSpec name(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("machine name must not be blank");
        this.name = name;
        return this;
    }

    /** Guest RAM size; default 128 MiB as on QEMU's virt machine. */
    public long memoryBytes() { return memoryBytes; }

    public MachineSpec memory(long bytes) {
        if (bytes < Sizes.MiB) throw new IllegalArgumentException("memory: at least 1 MiB, was " + Sizes.format(bytes));
        this.memoryBytes = bytes;
        return this;
    }

    /** The guest image to load (an ELF, or a raw image such as a RISC-V Linux {@code Image}), or null. */
    public Path kernel() { return kernel; }

    public MachineSpec kernel(Path kernel) {
        this.kernel = kernel;
        return this;
    }

    /**
     * The firmware, as QEMU's {@code -bios}: null or "default" lets the board choose (on the riscv virt
     * board: none for an ELF kernel, OpenSBI for a Linux Image), "none" loads none, anything else is a file
     * (ELF, or a raw binary at the start of RAM).
     */
    public String bios() { return bios; }

    public MachineSpec bios(String bios) {
        if (bios != null && bios.isBlank()) throw new IllegalArgumentException("bios: give a file, 'none' or 'default'");
        this.bios = bios;
        return this;
    }

    /** An initial RAM disk (a cpio archive) to load for the kernel, as QEMU's {@code -initrd}; or null. */
    public Path initrd() { return initrd; }

    public MachineSpec initrd(Path initrd) {
        this.initrd = initrd;
        return this;
    }

    /** A device tree blob that replaces the generated one, as QEMU's {@code -dtb}; or null. */
    public Path dtb() { return dtb; }

    public MachineSpec dtb(Path dtb) {
        this.dtb = dtb;
        return this;
    }

    /** The kernel command line ("bootargs" in the device tree). */
    public String bootargs() { return bootargs; }

    public MachineSpec bootargs(String bootargs) {
        this.bootargs = bootargs == null ? "" : bootargs;
        return this;
    }

    /** Appends to the command line with one space between. */
    public MachineSpec appendBootargs(String more) {
        if (more != null && !more.isBlank()) bootargs = bootargs.isBlank() ? more.trim() : bootargs + " " + more.trim();
        return this;
    }

    /**
     * Deterministic mode: device work is done inline at the guest's notification instead of on worker
     * threads, so runs repeat exactly (tests, tracing, reproducible benchmarks). Needs one hart.
     */
    public boolean deterministic() { return deterministic; }

    public MachineSpec deterministic(boolean on) {
        this.deterministic = on;
        return this;
    }

    /**
     * Guest RAM on a shared memory file (memfd) instead of private anonymous memory, so another process can
     * map it: set by a part whose device is served out of process (a vhost-user backend). Default false.
     */
    public boolean sharedRam() { return sharedRam; }

    public MachineSpec sharedRam(boolean on) {
        this.sharedRam = on;
        return this;
    }

    /** The plugins' extensions the parts may look up while assembling ({@link Extensions}); default none. */
    public Extensions extensions() { return extensions; }

    public MachineSpec extensions(Extensions extensions) {
        this.extensions = java.util.Objects.requireNonNull(extensions, "extensions");
        return this;
    }

    public List<MachinePart> parts() { return List.copyOf(parts); }

    public MachineSpec add(MachinePart part) {
        parts.add(part);
        return this;
    }

    /** Configures and assembles every part; the machine is returned in state CREATED. */
    public Machine build() {
        for (MachinePart p : List.copyOf(parts)) p.configure(this);
        // Files are checked now, not when the machine first starts: a typo fails where it was written.
        checkFile("kernel", kernel);
        checkFile("initrd", initrd);
        checkFile("dtb", dtb);
        if (bios != null && !bios.equals("none") && !bios.equals("default")) checkFile("bios", Path.of(bios));
        List<String> boards = parts.stream().filter(p -> p.phase() == MachinePart.Phase.BOARD).map(MachinePart::describe).toList();
        if (boards.size() > 1) {
            throw new MachineException("machine '" + name + "' has " + boards.size() + " boards (" + String.join("; ", boards)
                    + "): a machine has one");
        }
        if (boards.isEmpty()) {
            throw new MachineException("machine '" + name + "' has no board: add one, e.g. 'riscv harts: 1'");
        }
        MachineAssembly assembly = new MachineAssembly(this);
        try {
            List<MachinePart> ordered = new ArrayList<>(parts);
            // stable: written order within a phase. A lambda of ours, not Comparator.comparing: the AOT cache links
            // this one ahead of time, while comparing's own lambda is spun at every start (docs/startup.md).
            ordered.sort((a, b) -> a.phase().compareTo(b.phase()));
            for (MachinePart p : ordered) assembly.assemble(p);
            return assembly.finish();
        } catch (RuntimeException e) {
            assembly.abandon();
            throw e;
        } catch (LinkageError e) {
            // a part's class that cannot initialise (a plugin's static initialiser refusing a -D setting, a missing
            // class): the machine is not built, and the caller gets the reason, not the JVM's error
            assembly.abandon();
            Throwable why = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            throw new MachineException("machine '" + name + "' cannot be assembled: " + why.getMessage(), e);
        }
    }

    private static void checkFile(String word, Path file) {
        if (file == null) return;
        if (!java.nio.file.Files.exists(file)) {
            throw new MachineException(word + " " + file + ": no such file (in " + Path.of("").toAbsolutePath() + ")");
        }
        if (!java.nio.file.Files.isRegularFile(file)) throw new MachineException(word + " " + file + ": not a regular file");
        if (!java.nio.file.Files.isReadable(file)) throw new MachineException(word + " " + file + ": cannot be read");
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("machine spec '" + name + "': " + Sizes.format(memoryBytes));
        if (bios != null) sb.append(", bios ").append(bios);
        if (kernel != null) sb.append(", kernel ").append(kernel);
        if (initrd != null) sb.append(", initrd ").append(initrd);
        if (dtb != null) sb.append(", dtb ").append(dtb);
        if (!bootargs.isBlank()) sb.append(", append '").append(bootargs).append('\'');
        if (deterministic) sb.append(", deterministic");
        for (MachinePart p : parts) sb.append("\n  ").append(p.describe());
        return sb.toString();
    }
}
