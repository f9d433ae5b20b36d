package io.drydock.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/run's command line: the getopt forms, errors with exit code 2, help from the same table. */
class RunOptionsTest {
    @TempDir Path cwd;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        RunIo io = new RunIo(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true),
                cwd, Map.of("DRYDOCK_PLUGINS", cwd.resolve("no-plugins").toString()), false);
        return RunMain.run(args, io);
    }

    private RunMain parse(String... args) throws CommandOptions.BadOptionException {
        return RunMain.parse(args, new RunIo(null, null, null, cwd, Map.of(), false));
    }

    @Test void everyFormOfAValueIsAccepted() throws Exception {
        RunMain r = parse("--memory", "64M", "--harts=2", "-e/hello a", "--append", "--verbose", "--append=--poll", "--stats");
        assertEquals("64M", r.memory);
        assertEquals(2, r.harts);
        assertEquals("/hello a", r.execute);
        assertEquals(java.util.List.of("--verbose", "--poll"), r.append, "a value that looks like an option is still the value");
        assertTrue(r.stats);
        assertEquals("256M", parse("-m256M").memory);
    }

    @Test void relativePathsAreTheCallersNotTheJvms() throws Exception {
        assertEquals(cwd.resolve("guest/hello.elf"), parse("--kernel", "guest/hello.elf").kernel);
        assertEquals(Path.of("/abs/x.elf"), parse("--kernel=/abs/x.elf").kernel);
    }

    @Test void badCommandLinesSayWhyAndExitTwo() {
        assertEquals(2, run("--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--bogus'"), err.toString());
        assertEquals(2, run("--harts", "two"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'two' is not a number"), err.toString());
        assertEquals(2, run("--kernel"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--kernel needs a value"), err.toString());
        assertEquals(2, run("stray"));
        assertEquals(2, run("--stats=yes"));
        assertEquals(2, run("--kernel", "missing.elf"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing.elf: no such file"), err.toString());
        assertThrows(CommandOptions.BadOptionException.class, () -> parse("-x"));
    }

    @Test void helpListsEveryOptionOfTheTableAndExitsZero() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: run [OPTIONS]"), help);
        for (var o : RunMain.OPTIONS.options()) {
            for (String n : o.names()) assertTrue(help.contains(n), n + " missing from\n" + help);
            assertTrue(help.contains(o.description()), o.description());
        }
        out.reset();
        assertEquals(0, run("-V"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Drydock "), out.toString());
    }

    @Test void withoutPluginsTheMissingWordIsNamed() throws Exception {
        Path elf = Files.writeString(cwd.resolve("x.elf"), "not really an elf");
        assertEquals(2, run("--kernel", "x.elf"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no plugin provides 'riscv'"), err.toString());
        assertTrue(Files.exists(elf));
    }
}
