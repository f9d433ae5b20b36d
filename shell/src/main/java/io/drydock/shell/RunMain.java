package io.drydock.shell;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.machine.RunResult;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.shell.log.Logging;
import io.drydock.shell.plugin.PluginHost;
import io.drydock.shell.plugin.PluginStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code scripts/run}: the command-line twin of the machine DSL, in the conventions of QEMU and OSv's
 * {@code run.py}. With {@code --kernel} it boots a bare ELF like {@code qemu-system-riscv64 -M virt -bios
 * none -kernel}; without it, the OSv-like unikernel with {@code -e '/app args'}. {@code --virtio-fs-*}
 * attach a virtio-fs device (on PCI, or virtio-mmio). Headless: the UART on standard input and output; the
 * process exits with the guest's exit code (124 on --timeout, 1 when the machine fails, 2 for bad options).
 * The machine is assembled from the plugins' DSL words, exactly as {@code machine { ... }} does.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Boot a guest on Drydock's RISC-V virt board, headless (UART on stdin/stdout, exit code = guest's).",
                "Without --kernel: the OSv-like unikernel from the virtio-fs export, running the -e command line."})
public final class RunMain implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "FILE", description = "an ELF or a RISC-V Linux Image to boot (default: the OSv-like unikernel)")
    Path kernel;

    /** --bios, --initrd, --dtb (QEMU's words; their own file). */
    @CommandLine.Mixin
    BootOptions boot = new BootOptions();

    @Option(names = "--image", paramLabel = "ELF",
            description = "the unikernel image (default: plugin-osv-guest/build/osv-kernel.elf from scripts/build, else the prebuilt one)")
    Path image;

    @Option(names = {"-e", "--execute"}, paramLabel = "CMDLINE",
            description = "the unikernel's application and arguments (default: the app of scripts/build's image=, else /cli)")
    String execute;

    @Option(names = "--append", paramLabel = "ARGS", description = "kernel command line (with the unikernel: extra kernel options)")
    List<String> append = new ArrayList<>();

    @Option(names = {"--memory", "-m"}, paramLabel = "SIZE", description = "guest RAM, e.g. 256M (default: 128M, 256M for the unikernel)")
    String memory;

    @Option(names = "--harts", defaultValue = "1", description = "number of harts (default: ${DEFAULT-VALUE})")
    int harts;

    @Option(names = "--virtio-fs-tag", paramLabel = "TAG", description = "tag of the virtio-fs device (default: myfs)")
    String fsTag;

    @Option(names = "--virtio-fs-dir", paramLabel = "DIR", description = "host directory shared over virtio-fs")
    Path fsDir;

    @Option(names = "--virtio-fs-readonly", description = "export the directory read-only")
    boolean fsReadonly;

    @Option(names = "--virtio-fs-cache", paramLabel = "MODE", description = "never, auto or always (default: auto)")
    String fsCache;

    @Option(names = "--virtio-fs-xattr", description = "pass extended attributes through (as virtiofsd -o xattr)")
    boolean fsXattr;

    @Option(names = "--virtio-fs-transport", paramLabel = "pci|mmio", defaultValue = "pci",
            description = "virtio transport of the device (default: ${DEFAULT-VALUE})")
    String fsTransport;

    @Option(names = "--dax", paramLabel = "SIZE", description = "give the virtio-fs device a DAX window of SIZE, e.g. 1G")
    String dax;

    @Option(names = "--boot-time", description = "the unikernel prints its boot time (instructions and ms to the app's main)")
    boolean bootTime;

    @Option(names = "--deterministic", description = "device work inline at the guest's notification (repeatable runs)")
    boolean deterministic;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0", description = "give up after SECONDS with exit code 124 (0: never)")
    long timeout;

    @Option(names = "--stats", description = "print instructions, seconds, MIPS and the metrics to stderr at exit")
    boolean stats;

    @Option(names = "--plugins", paramLabel = "DIR", description = "plugins directory (as for scripts/drydock)")
    Path pluginsDir;

    @Option(names = "--log", paramLabel = "COMPONENT=LEVEL", description = "log level of a component (repeatable)")
    List<String> logs = new ArrayList<>();

    @Mixin GdbOptions gdb = new GdbOptions();

    @Mixin DeviceOptions devices = new DeviceOptions();

    public static void main(String[] argv) {
        int code = new CommandLine(new RunMain()).execute(argv);
        System.out.flush();
        // exit, not return: the console's stdin reader (a daemon thread) may be blocked in read(). Not halt:
        // an orderly exit lets the JVM write the AOT cache when scripts/setup records one.
        System.exit(code);
    }

    @Override public Integer call() {
        try {
            for (String l : logs) Logging.apply(l);
        } catch (IllegalArgumentException e) {
            System.err.println("run: " + e.getMessage());
            return 2;
        }
        Main locator = new Main();
        locator.pluginsDir = pluginsDir;
        PluginHost plugins = PluginHost.load(locator.pluginsDirectoryFrom(System.getenv()), Main.Version.number());
        for (PluginStatus p : plugins.problems()) System.err.println("run: plugin '" + p.id() + "' " + p.state() + ": " + p.problem());
        MachineSpec spec;
        try {
            gdb.check();
            spec = spec(words(plugins));
        } catch (IllegalArgumentException | MachineException e) {
            System.err.println("run: " + e.getMessage());
            return 2;
        }
        try (Machine m = spec.build()) {
            if (Main.stdinIsTerminal()) rawTerminal();
            // Guest output reaches the terminal as it is written; at the end of piped input the guest
            // gets EOT (0x04) once, so a cli reading it exits like a shell at end of file.
            m.console().bridge(System.in, System.out);
            Duration limit = timeout > 0 ? Duration.ofSeconds(timeout) : Duration.ofDays(3650);
            RunResult r = gdb.enabled() ? underGdb(m, limit) : m.run(limit);
            m.stop();
            m.console().flush();
            System.out.flush();
            int code = switch (r.outcome()) {
                case EXITED -> r.exitCode();
                case TIMED_OUT -> 124;
                case FAILED, STOPPED, PAUSED -> 1;
            };
            if (r.outcome() != RunResult.Outcome.EXITED) System.err.printf("run: machine '%s' %s (%,d instructions)%n", m.name(), r.reason(), r.instructions());
            if (stats) {
                long n = r.instructions();
                double seconds = r.elapsed().toNanos() / 1e9;
                System.err.printf("run: %,d instructions in %.3f s = %.1f MIPS%n", n, seconds, n / seconds / 1e6);
                System.err.print(m.metrics().table("", false));
            }
            for (Machine.Fault f : m.faults()) System.err.println("run: fault: " + f);
            return code;
        } catch (IllegalArgumentException | MachineException e) {
            System.err.println("run: " + e.getMessage());
            return 2;
        }
        // The plugins are not stopped: main() exits the JVM right after, and a plugin's stop() must not be
        // able to hold back the guest's exit code.
    }

    /** {@link GdbOptions#run} as a {@link RunResult}, like {@link Machine#run(Duration)} gives without gdb. */
    private RunResult underGdb(Machine m, Duration limit) {
        long t0 = System.nanoTime();
        RunResult.Outcome outcome;
        String reason;
        Integer exit = null;
        try {
            exit = gdb.run(m, limit);
            outcome = RunResult.Outcome.EXITED;
            reason = "the guest exited";
        } catch (MachineException e) {
            if (m.failure() != null) {
                outcome = RunResult.Outcome.FAILED;
                reason = "failed: " + m.failure();
            } else if (m.state() == io.drydock.kernel.machine.MachineState.STOPPED) {
                outcome = RunResult.Outcome.STOPPED;
                reason = "stopped by gdb (kill) before the guest exited";
            } else {
                outcome = RunResult.Outcome.TIMED_OUT;
                reason = "timed out after " + io.drydock.kernel.clock.Durations.format(limit);
            }
        }
        return new RunResult(m.name(), exit, outcome, reason, Duration.ofNanos(System.nanoTime() - t0),
                m.instructionsRetired(), m.console().tail(RunResult.TAIL_LINES));
    }

    /**
     * At a terminal, the guest's console owns the keyboard, as with {@code qemu -nographic}: no line
     * buffering and no local echo (the guest echoes), restored at exit. Signals stay on, so Ctrl-C ends the
     * run (exit 130).
     */
    private static void rawTerminal() {
        try {
            String saved = stty("-g").trim();
            stty("-icanon", "-echo", "min", "1", "time", "0");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stty(saved);
                } catch (java.io.IOException | InterruptedException e) {
                    System.err.println("run: could not restore the terminal: run 'stty sane'");
                }
            }));
        } catch (java.io.IOException | InterruptedException e) {
            System.err.println("run: cannot switch the terminal to raw mode (" + e.getMessage() + "); input is line-buffered");
        }
    }

    /** stty(1) on our standard input (the terminal), returning what it prints. */
    private static String stty(String... args) throws java.io.IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("stty"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new java.io.IOException("stty " + String.join(" ", args) + " failed");
        return out;
    }

    private static Map<String, MachineWord> words(PluginHost plugins) {
        Map<String, MachineWord> words = new LinkedHashMap<>();
        for (MachineWord w : plugins.extensions(MachineWord.class)) words.putIfAbsent(w.name(), w);
        return words;
    }

    /** The machine these options describe, built from the plugins' words. */
    MachineSpec spec(Map<String, MachineWord> words) {
        boolean unikernel = kernel == null;
        if (!unikernel && image != null) throw new IllegalArgumentException("--image is for the unikernel; a bare ELF is --kernel");
        if (!unikernel && execute != null) throw new IllegalArgumentException("-e is for the unikernel; with --kernel use --append");
        if (unikernel && fsDir == null) {
            throw new IllegalArgumentException("nothing to boot: give --kernel FILE.elf, or --virtio-fs-dir=DIR with the "
                    + "unikernel's root file system (e.g. build/export from scripts/build)");
        }
        if (kernel != null && !Files.isRegularFile(kernel)) throw new IllegalArgumentException("--kernel " + kernel + ": no such file");
        String tag = fsTag != null ? fsTag : "myfs";
        MachineSpec spec = new MachineSpec().name("run")
                .memory(Sizes.parse(memory != null ? memory : unikernel ? "256M" : "128M"))
                .deterministic(deterministic);
        if (kernel != null) spec.kernel(kernel);
        boot.apply(spec, kernel);
        append.forEach(spec::appendBootargs);
        add(spec, words, "riscv", Map.of("harts", harts));
        if (fsDir != null) {
            add(spec, words, fsTransport.equals("mmio") ? "virtioMmio" : "pci", Map.of());
            Map<String, Object> fs = new LinkedHashMap<>();
            fs.put("tag", tag);
            fs.put("dir", fsDir.toString());
            fs.put("readonly", fsReadonly);
            fs.put("transport", fsTransport);
            if (fsCache != null) fs.put("cache", fsCache);
            if (fsXattr) fs.put("xattr", true);
            if (dax != null) fs.put("dax", dax);
            add(spec, words, "virtioFs", fs);
        } else if (dax != null) {
            throw new IllegalArgumentException("--dax needs a virtio-fs device (--virtio-fs-dir)");
        }
        for (DeviceOptions.Device d : devices.parsed()) add(spec, words, d.word(), d.options());
        if (unikernel) {
            Map<String, Object> osv = new LinkedHashMap<>();
            osv.put("cmdline", execute != null ? execute : builtCmdline());
            osv.put("tag", tag);
            osv.put("dax", dax != null);
            osv.put("bootTime", bootTime);
            Path img = image != null ? image : builtImage();
            if (img != null) osv.put("image", img.toString());
            add(spec, words, "osv", osv);
        } else if (bootTime) {
            throw new IllegalArgumentException("--boot-time is for the unikernel");
        }
        return spec;
    }

    /** The image scripts/build made in this installation, if any (else the osv plugin uses its prebuilt one). */
    private static Path builtImage() {
        String home = System.getProperty("drydock.home");
        if (home == null) return null;
        Path p = Path.of(home, "plugin-osv-guest", "build", "osv-kernel.elf");
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * The application command line scripts/build recorded for its {@code image=} (build/cmdline holds
     * {@code --rootfs=virtiofs /hello}, as OSv stores it in the image), else {@code /cli}.
     */
    private static String builtCmdline() {
        String home = System.getProperty("drydock.home");
        if (home != null) {
            Path p = Path.of(home, "plugin-osv-guest", "build", "cmdline");
            try {
                if (Files.isRegularFile(p)) {
                    String app = Files.readString(p).trim().replaceFirst("^--rootfs=\\S+\\s+", "");
                    if (app.startsWith("/")) return app;
                }
            } catch (java.io.IOException e) {
                System.err.println("run: cannot read " + p + " (" + e.getMessage() + "); running /cli");
            }
        }
        return "/cli";
    }

    private static void add(MachineSpec spec, Map<String, MachineWord> words, String name, Map<String, Object> options) {
        MachineWord w = words.get(name);
        if (w == null) {
            throw new MachineException("no plugin provides '" + name + "' (loaded words: " + String.join(", ", words.keySet())
                    + "); is build/plugins complete? run the setup command");
        }
        Options o = new Options(name, options);
        spec.add(w.create(o, List.of()));
    }
}
