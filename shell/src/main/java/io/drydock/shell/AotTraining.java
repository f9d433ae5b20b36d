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
 * their console output is thrown away.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        LogProvider.select();
        Path home = Path.of(System.getProperty("drydock.home", "."));
        System.exit(runAll(home, null) == 0 ? 0 : 1);
    }

    /**
     * Runs every training boot with its console thrown away; returns how many did not exit 0 (each is
     * reported on standard error). A warm run server warms itself up with the same boots.
     */
    static int runAll(Path home, RunMain.PluginSource plugins) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[]{"--help"});
        Path elf = home.resolve("plugins/cpu-riscv/guest/hello.elf");
        if (Files.isRegularFile(elf)) runs.add(new String[]{"--kernel", elf.toString()});
        Path export = home.resolve("build/export");
        if (Files.isRegularFile(export.resolve("hello"))) {
            runs.add(new String[]{"--virtio-fs-dir=" + export, "-e", "/hello"});
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
