package io.drydock.shell;

import io.drydock.shell.log.LogProvider;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run that {@code scripts/aot} records the JDK's AOT cache from (JEP 483/514/515: classes
 * loaded and linked, method profiles): what an entry point does at start, done once, so that every later
 * start maps it instead. {@code run} boots the bare hello ELF and the unikernel's /hello (when its root file
 * system is there) and prints the help, all in one JVM, so one cache serves every kind of scripts/run;
 * their console output is thrown away. With {@code --bare-elf} ({@code run-elf}) it boots the ELF alone, then
 * two rounds of the suite's bench.elf: a JVM loads every class of its cache at start, and a bare ELF needs none
 * of the unikernel's.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        LogProvider.select();
        Path home = Path.of(System.getProperty("drydock.home", "."));
        boolean bareElf = args.length > 0 && args[0].equals("--bare-elf");
        System.exit(runAll(home, null, bareElf) == 0 ? 0 : 1);
    }

    /** Every training boot of {@code run}: a warm run server warms itself up with the same boots. */
    static int runAll(Path home, RunMain.PluginSource plugins) {
        return runAll(home, plugins, false);
    }

    /**
     * Runs the training boots (only the bare ELF's when {@code bareElf}) with their console thrown away;
     * returns how many did not exit 0 (each is reported on standard error).
     */
    private static int runAll(Path home, RunMain.PluginSource plugins, boolean bareElf) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        List<String[]> runs = new ArrayList<>();
        Path elf = home.resolve("plugins/cpu-riscv/guest/hello.elf");
        Path export = home.resolve("build/export");
        if (bareElf) {
            // The first boot after a build loads every plugin and writes the plugin index (PluginIndex); later
            // runs load only the riscv plugin by the index, a path of its own that the cache must hold as well.
            if (Files.isRegularFile(elf)) for (int i = 0; i < 2; i++) runs.add(new String[]{"--kernel", elf.toString()});
            // and two rounds of the CPU suite's int program (bench.elf: ~16 M instructions, translated loops), so
            // the cache holds the interpreter's and translator's profiles and classes from a compute guest: whole
            // processes of the suite's programs 5-9 % shorter, hello.elf's start unchanged (docs/startup.md)
            Path bench = home.resolve("plugins/cpu-riscv/guest/bench.elf");
            if (Files.isRegularFile(bench)) runs.add(new String[]{"--kernel", bench.toString(), "--append", "suite.warm=2 suite.rounds=2"});
        } else {
            runs.add(new String[]{"--help"});
            if (Files.isRegularFile(elf)) runs.add(new String[]{"--kernel", elf.toString()});
            // the unikernel's boot takes the index's path in this training
            if (Files.isRegularFile(export.resolve("hello"))) runs.add(new String[]{"--virtio-fs-dir=" + export, "-e", "/hello"});
        }
        int failed = 0;
        for (String[] run : runs) {
            RunIo io = new RunIo(new ByteArrayInputStream(new byte[0]), nowhere, nowhere, home, System.getenv(), false);
            int code = RunMain.run(run, io, plugins);
            if (code != 0) {
                System.err.println("aot training: scripts/run " + String.join(" ", run) + " exited " + code);
                failed++;
            }
        }
        return failed;
    }
}
