package io.drydock.shell;

import io.drydock.shell.log.LogProvider;
import io.drydock.kernel.clock.Durations;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineSpec;
import io.drydock.kernel.machine.MachineState;
import io.drydock.kernel.machine.Options;
import io.drydock.kernel.machine.RunResult;
import io.drydock.kernel.memory.Sizes;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.shell.log.Logging;
import io.drydock.shell.plugin.PluginHost;
import io.drydock.shell.plugin.PluginStatus;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/run}: the command-line twin of the machine DSL, in the conventions of QEMU and OSv's
 * {@code run.py}. With {@code --kernel} it boots a bare ELF like {@code qemu-system-riscv64 -M virt -bios
 * none -kernel}; without it, the OSv-like unikernel with {@code -e '/app args'}. {@code --virtio-fs-*}
 * attach a virtio-fs device (on PCI, or virtio-mmio). Headless: the UART on standard input and output; the
 * process exits with the guest's exit code (124 on --timeout, 1 when the machine fails, 2 for bad options).
 * The machine is assembled from the plugins' DSL words, exactly as {@code machine { ... }} does, and only
 * the plugins that provide those words are loaded.
 *
 * <p>Start-up is part of what this command is for (edit, boot, look, again), so its path stays lean: the
 * options are one {@link CommandOptions} table (an option is one entry in {@link #OPTIONS}: its names,
 * help and what it sets), no Groovy, no picocli, no XML. A warm run ({@code scripts/run --warm}) runs
 * {@link #run} inside a {@link RunServer} with the client's console ({@link RunIo}).
 */
public final class RunMain {
    Path kernel;
    Path image;
    String execute;
    List<String> append = new ArrayList<>();
    String memory;
    int harts = 1;
    String fsTag;
    Path fsDir;
    Path fsSocket;
    boolean fsReadonly;
    String fsCache;
    boolean fsXattr;
    String fsTransport = "pci";
    String dax;
    boolean bootTime;
    boolean deterministic;
    long timeout;
    boolean stats;
    Path pluginsDir;
    List<String> logs = new ArrayList<>();
    boolean help;
    boolean version;
    /** --bios, --initrd, --dtb (QEMU's words; their own file). */
    final BootOptions boot = new BootOptions();
    /** --gdb, -s, -S (their own file). */
    final GdbOptions gdb = new GdbOptions();
    /** --device WORD,KEY=VALUE (its own file). */
    final DeviceOptions devices = new DeviceOptions();

    private RunIo io;

    /** The run's console, directory and environment (for the option setters in other files). */
    RunIo io() { return io; }

    /** Every option of scripts/run, in --help order. Paths are relative to the caller's working directory. */
    static final CommandOptions<RunMain> OPTIONS = new CommandOptions<RunMain>()
            .value("--kernel", "FILE", "an ELF or a RISC-V Linux Image to boot (default: the OSv-like unikernel)", (r, v) -> r.kernel = r.io.path(v))
            .include(BootOptions::options)
            .value("--image", "ELF", "the unikernel image (default: plugin-osv-guest/build/osv-kernel.elf from scripts/build, else the prebuilt one)",
                    (r, v) -> r.image = r.io.path(v))
            .value("-e,--execute", "CMDLINE", "the unikernel's application and arguments (default: the app of scripts/build's image=, else /cli)", (r, v) -> r.execute = v)
            .value("--append", "ARGS", "kernel command line (with the unikernel: extra kernel options; repeatable)", (r, v) -> r.append.add(v))
            .value("-m,--memory", "SIZE", "guest RAM, e.g. 256M (default: 128M, 256M for the unikernel)", (r, v) -> r.memory = v)
            .number("--harts", "N", "number of harts (default: 1)", (r, v) -> r.harts = Math.toIntExact(v))
            .value("--virtio-fs-tag", "TAG", "tag of the virtio-fs device (default: myfs)", (r, v) -> r.fsTag = v)
            .value("--virtio-fs-dir", "DIR", "host directory shared over virtio-fs", (r, v) -> r.fsDir = r.io.path(v))
            .value("--virtio-fs-socket", "PATH", "serve the virtio-fs device by the vhost-user backend (virtiofsd) at PATH",
                    (r, v) -> r.fsSocket = r.io.path(v))
            .flag("--virtio-fs-readonly", "export the directory read-only", r -> r.fsReadonly = true)
            .value("--virtio-fs-cache", "MODE", "never, auto or always (default: auto)", (r, v) -> r.fsCache = v)
            .flag("--virtio-fs-xattr", "pass extended attributes through (as virtiofsd -o xattr)", r -> r.fsXattr = true)
            .value("--virtio-fs-transport", "pci|mmio", "virtio transport of the device (default: pci)", (r, v) -> r.fsTransport = v)
            .value("--dax", "SIZE", "give the virtio-fs device a DAX window of SIZE, e.g. 1G", (r, v) -> r.dax = v)
            .flag("--boot-time", "the unikernel prints its boot time (instructions and ms to the app's main)", r -> r.bootTime = true)
            .flag("--deterministic", "device work inline at the guest's notification (repeatable runs)", r -> r.deterministic = true)
            .number("--timeout", "SECONDS", "give up after SECONDS with exit code 124 (default: 0, never)", (r, v) -> r.timeout = v)
            .flag("--stats", "print instructions, seconds, MIPS and the metrics to stderr at exit", r -> r.stats = true)
            .value("--plugins", "DIR", "plugins directory (as for scripts/drydock)", (r, v) -> r.pluginsDir = r.io.path(v))
            .value("--log", "COMPONENT=LEVEL", "log level of a component (repeatable)", (r, v) -> r.logs.add(v))
            .include(GdbOptions::options)
            .include(DeviceOptions::options)
            .flag("--warm", "boot in a warm JVM (a drydock run server, started on first use, stops when idle); same console, exit code and options", r -> { })
            .flag("-h,--help", "show this help message and exit", r -> r.help = true)
            .flag("-V,--version", "print version information and exit", r -> r.version = true);

    static final String USAGE = "run [OPTIONS]";
    static final List<String> DESCRIPTION = List.of(
            "Boot a guest on Drydock's RISC-V virt board, headless (UART on stdin/stdout, exit code = guest's).",
            "Without --kernel: the OSv-like unikernel from the virtio-fs export, running the -e command line.");

    public static void main(String[] argv) {
        LogProvider.select();
        StartupTrace.mark("main");
        int code = run(argv, RunIo.system());
        System.out.flush();
        StartupTrace.mark("exit");
        StartupTrace.write();
        Runnable restore = restoreTerminal;
        if (restore != null) restore.run();
        System.err.flush();
        // halt, not exit or return: the console's stdin reader (a daemon thread) may be blocked in read(), and
        // System.exit first looks up the System.Logger to log Runtime.exit at DEBUG, a service lookup that opened
        // and parsed every jar of the class path (~10 ms; the AOT cache had spared opening them until then).
        // What exit does besides is done above: output flushed, the terminal restored (this process registers no
        // other shutdown hook); the JVM still writes an AOT cache being recorded (JVM_Halt runs before_exit).
        // scripts/run's JVM does not wait for the reader either (-XX:UserThreadWaitAttemptsAtExit=0).
        // A flight recording started with -XX:StartFlightRecording (DRYDOCK_JAVA_OPTS) is written by JFR's own
        // shutdown hook, which halt would skip: then exit the ordinary way.
        if (jdk.jfr.FlightRecorder.isInitialized()) System.exit(code);
        Runtime.getRuntime().halt(code);
    }

    /** Puts the terminal back as it was (once), when {@link #rawTerminal} changed it; run by main or a signal's shutdown hook. */
    private static volatile Runnable restoreTerminal;

    /** One run with the console, directory and environment of {@code io}; returns the exit code. */
    public static int run(String[] argv, RunIo io) {
        return run(argv, io, null);
    }

    /** The options of {@code argv}, paths resolved against {@code io}'s working directory. */
    static RunMain parse(String[] argv, RunIo io) throws CommandOptions.BadOptionException {
        RunMain r = new RunMain();
        r.io = io;
        OPTIONS.parse(r, argv);
        return r;
    }

    /** {@link #run(String[], RunIo)} with the plugins from {@code plugins} (a warm server's), when not null. */
    public static int run(String[] argv, RunIo io, PluginSource plugins) {
        RunMain r;
        try {
            r = parse(argv, io);
        } catch (CommandOptions.BadOptionException e) {
            io.err().println("run: " + e.getMessage() + " (scripts/run --help lists the options)");
            return 2;
        }
        if (plugins != null) r.pluginSource = plugins;
        StartupTrace.mark("options");
        if (r.help) {
            io.out().print(OPTIONS.usage(USAGE, DESCRIPTION));
            io.out().flush();
            return 0;
        }
        if (r.version) {
            io.out().println("Drydock " + DrydockVersion.number() + " (Java " + Runtime.version() + ")");
            io.out().flush();
            return 0;
        }
        return r.call();
    }

    int call() {
        PrintStream out = io.out(), err = io.err();
        try {
            for (String l : logs) Logging.apply(l);
        } catch (IllegalArgumentException e) {
            err.println("run: " + e.getMessage());
            return 2;
        }
        MachineSpec spec = new MachineSpec();
        List<Part> parts;
        try {
            gdb.check();
            parts = plan(spec);
        } catch (IllegalArgumentException e) {
            err.println("run: " + e.getMessage());
            return 2;
        }
        StartupTrace.mark("plan");
        if (StartupTrace.on()) {
            org.slf4j.LoggerFactory.getILoggerFactory(); // else the first logger does it, inside the plugins' phase
            StartupTrace.mark("logging");
        }
        PluginHost plugins = pluginSource.forWords(PluginHost.directoryFor(pluginsDir, io.env()),
                parts.stream().map(Part::word).toList());
        for (PluginStatus p : plugins.problems()) err.println("run: plugin '" + p.id() + "' " + p.state() + ": " + p.problem());
        spec.extensions(plugins::extensions);
        StartupTrace.mark("plugins");
        try {
            Map<String, MachineWord> words = words(plugins);
            // Only the plugins this command line needs are loaded: an unknown --log component is worth a
            // warning (it may belong to a plugin not loaded), not a refusal.
            for (MachineWord w : words.values()) Logging.registerPackage(w.getClass().getPackageName());
            for (String l : logs) {
                try {
                    Logging.requireKnown(l);
                } catch (IllegalArgumentException e) {
                    err.println("run: warning: --log " + l + ": " + e.getMessage());
                }
            }
            for (Part p : parts) add(spec, words, p.word(), p.options());
        } catch (IllegalArgumentException | MachineException e) {
            err.println("run: " + e.getMessage());
            return 2;
        }
        Machine built;
        try {
            built = spec.build();
        } catch (IllegalArgumentException | MachineException e) {
            err.println("run: " + e.getMessage());
            // the cause (a plugin's initialiser, a failed mapping) with its stack for --log shell=debug; a logger
            // only here: scripts/run's fast path creates none before the plugins' phase
            org.slf4j.LoggerFactory.getLogger(RunMain.class).debug("building machine '{}' failed", spec.name(), e);
            return 2;
        }
        try (Machine m = built) {
            io.machine().set(m);
            if (io.terminal()) rawTerminal();
            // Guest output reaches the terminal as it is written; at the end of piped input the guest
            // gets EOT (0x04), twice after a partial last line, so a cli reading it exits like a shell at end of file.
            m.console().bridge(io.in(), out);
            StartupTrace.mark("assembled");
            Duration limit = timeout > 0 ? Duration.ofSeconds(timeout) : Duration.ofDays(3650);
            RunResult r = gdb.enabled() ? underGdb(m, limit) : m.run(limit);
            StartupTrace.mark("guest-exited");
            m.stop();
            m.console().flush();
            out.flush();
            int code = switch (r.outcome()) {
                case EXITED -> r.exitCode();
                case TIMED_OUT -> 124;
                case FAILED, STOPPED, PAUSED -> 1;
            };
            if (r.outcome() != RunResult.Outcome.EXITED) err.printf("run: machine '%s' %s (%,d instructions)%n", m.name(), r.reason(), r.instructions());
            if (stats) {
                long n = r.instructions();
                double seconds = r.elapsed().toNanos() / 1e9;
                err.printf("run: %,d instructions in %.3f s = %.1f MIPS%n", n, seconds, n / seconds / 1e6);
                err.print(m.metrics().table("", false));
            }
            for (Machine.Fault f : m.faults()) err.println("run: fault: " + f);
            return code;
        } catch (IllegalArgumentException | MachineException e) {
            err.println("run: " + e.getMessage());
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
            exit = gdb.run(m, limit, io.err());
            outcome = RunResult.Outcome.EXITED;
            reason = "the guest exited";
        } catch (MachineException e) {
            if (m.failure() != null) {
                outcome = RunResult.Outcome.FAILED;
                reason = "failed: " + m.failure();
            } else if (m.state() == MachineState.STOPPED) {
                outcome = RunResult.Outcome.STOPPED;
                reason = "stopped by gdb (kill) before the guest exited";
            } else {
                outcome = RunResult.Outcome.TIMED_OUT;
                reason = "timed out after " + Durations.format(limit);
            }
        }
        return new RunResult(m.name(), exit, outcome, reason, Duration.ofNanos(System.nanoTime() - t0),
                m.instructionsRetired(), m.console().tail(RunResult.TAIL_LINES));
    }

    /** Where a run's plugins come from: loaded for this run (cold), or a warm server's, loaded once. */
    @FunctionalInterface
    public interface PluginSource {
        /** The plugins of {@code directory} that provide {@code words} (at least those). */
        PluginHost forWords(Path directory, List<String> words);
    }

    /** A cold run loads only the plugins that provide the words it uses. */
    private PluginSource pluginSource = (dir, words) -> PluginHost.loadFor(dir, DrydockVersion.number(), words);

    /** One DSL word of the machine and its options: {@code riscv harts: 1}. */
    record Part(String word, Map<String, Object> options) {}

    /**
     * At a terminal, the guest's console owns the keyboard, as with {@code qemu -nographic}: no line
     * buffering and no local echo (the guest echoes), restored at exit. Signals stay on, so Ctrl-C ends the
     * run (exit 130).
     */
    private static void rawTerminal() {
        try {
            String saved = stty("-g").trim();
            stty("-icanon", "-echo", "min", "1", "time", "0");
            java.util.concurrent.atomic.AtomicBoolean restored = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable restore = () -> {
                if (!restored.compareAndSet(false, true)) return;
                try {
                    stty(saved);
                } catch (java.io.IOException | InterruptedException e) {
                    System.err.println("run: could not restore the terminal: run 'stty sane'");
                }
            };
            restoreTerminal = restore;
            Runtime.getRuntime().addShutdownHook(new Thread(restore)); // Ctrl-C and other signals: the JVM's shutdown
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

    /**
     * Fills in the machine's own settings and returns the plugins' words these options need, in order:
     * the words tell which plugins to load, then each makes its part.
     */
    List<Part> plan(MachineSpec spec) {
        boolean unikernel = kernel == null;
        if (!unikernel && image != null) throw new IllegalArgumentException("--image is for the unikernel; a bare ELF is --kernel");
        if (!unikernel && execute != null) throw new IllegalArgumentException("-e is for the unikernel; with --kernel use --append");
        if (unikernel && fsDir == null && fsSocket == null) {
            throw new IllegalArgumentException("nothing to boot: give --kernel FILE.elf, or --virtio-fs-dir=DIR with the "
                    + "unikernel's root file system (e.g. build/export from scripts/build)");
        }
        if (kernel != null && !Files.isRegularFile(kernel)) throw new IllegalArgumentException("--kernel " + kernel + ": no such file");
        String tag = fsTag != null ? fsTag : "myfs";
        spec.name("run").memory(Sizes.parse(memory != null ? memory : unikernel ? "256M" : "128M")).deterministic(deterministic);
        if (kernel != null) spec.kernel(kernel);
        boot.apply(spec, kernel);
        append.forEach(spec::appendBootargs);
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("riscv", Map.of("harts", harts)));
        if (fsDir != null || fsSocket != null) {
            parts.add(new Part(fsTransport.equals("mmio") ? "virtioMmio" : "pci", Map.of()));
            Map<String, Object> fs = new LinkedHashMap<>();
            fs.put("tag", tag);
            fs.put("transport", fsTransport);
            if (fsSocket != null) { // the backend serves its own directory with its own options
                fs.put("socket", fsSocket.toString()); // --dax: the window is here, the backend maps into it (scripts/virtiofsd)
                if (dax != null) fs.put("dax", dax);
            } else {
                fs.put("dir", fsDir.toString());
                fs.put("readonly", fsReadonly);
                if (fsCache != null) fs.put("cache", fsCache);
                if (fsXattr) fs.put("xattr", true);
                if (dax != null) fs.put("dax", dax);
            }
            parts.add(new Part("virtioFs", fs));
        } else if (dax != null) {
            throw new IllegalArgumentException("--dax needs a virtio-fs device (--virtio-fs-dir)");
        }
        for (DeviceOptions.Device d : devices.parsed()) parts.add(new Part(d.word(), d.options()));
        if (unikernel) {
            Map<String, Object> osv = new LinkedHashMap<>();
            osv.put("cmdline", execute != null ? execute : builtCmdline(io.err()));
            osv.put("tag", tag);
            osv.put("dax", dax != null);
            osv.put("bootTime", bootTime);
            Path img = image != null ? image : builtImage();
            if (img != null) osv.put("image", img.toString());
            parts.add(new Part("osv", osv));
        } else if (bootTime) {
            throw new IllegalArgumentException("--boot-time is for the unikernel");
        }
        return parts;
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
    private static String builtCmdline(PrintStream err) {
        String home = System.getProperty("drydock.home");
        if (home != null) {
            Path p = Path.of(home, "plugin-osv-guest", "build", "cmdline");
            try {
                if (Files.isRegularFile(p)) {
                    String app = Files.readString(p).trim().replaceFirst("^--rootfs=\\S+\\s+", "");
                    if (app.startsWith("/")) return app;
                }
            } catch (java.io.IOException e) {
                err.println("run: cannot read " + p + " (" + e.getMessage() + "); running /cli");
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
