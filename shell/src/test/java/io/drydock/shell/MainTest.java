package io.drydock.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Script mode, run in-process with its streams captured: exit codes and the one-line error format. */
class MainTest {
    @TempDir Path tmp;
    private final Map<String, String> env = new HashMap<>();

    record Result(int code, String out, String err) {}

    private Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (!env.containsKey("DRYDOCK_PLUGINS")) env.put("DRYDOCK_PLUGINS", tmp.resolve("no-plugins").toString());
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test void codeOnStandardInput() {
        Result r = run("println 6*7\n");
        assertEquals(0, r.code(), r.err());
        assertEquals("42\n", r.out());
    }

    @Test void dashE() {
        Result r = run("", "-e", "println 'hi ' + args.join(',')", "a", "b");
        assertEquals(0, r.code(), r.err());
        assertEquals("hi a,b\n", r.out());
    }

    @Test void aSyntaxErrorExitsNonZeroWithOneLine() {
        Result r = run("", "-e", "this is not groovy (((");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("-e:1: Unexpected input: '('\n", r.err());
    }

    @Test void aFailingFileReportsFileAndLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("boom.groovy"), "println 'start'\ndef n = 1\nthrow new IllegalStateException('gave up at ' + n + '\\nsecond line')\n");
        Result r = run("", f.toString(), "x");
        assertEquals(1, r.code());
        assertEquals("start\n", r.out());
        assertEquals(f + ":3: gave up at 1\n", r.err());
    }

    @Test void scriptArgumentsAreNotOptions() throws Exception {
        Path f = Files.writeString(tmp.resolve("args.groovy"), "println args.toList()");
        Result r = run("", f.toString(), "--log", "-e", "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("[--log, -e, x]\n", r.out());
    }

    @Test void colonCommandsWorkInDashE() throws Exception {
        Path plugins = tmp.resolve("plugins");
        PluginJars.write(plugins, PluginJars.fakeBoard());
        PluginJars.garbage(plugins, "broken.jar");
        Result r = run("", "--plugins", plugins.toString(), "-e", ":plugins");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fakeboard") && l.contains("STARTED")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("broken.jar") && l.contains("BROKEN")), r.out());
        assertTrue(r.err().startsWith("drydock: plugin 'broken.jar' (broken.jar) BROKEN: "), r.err());
    }

    @Test void pluginsDirectoryFromTheEnvironment() throws Exception {
        Path plugins = tmp.resolve("env-plugins");
        PluginJars.write(plugins, PluginJars.fakeBoard());
        env.put("DRYDOCK_PLUGINS", plugins.toString());
        Result r = run("", "-e", "m = machine { fakeboard instructions: 20, exit: 7 }\nprintln m.run(Duration.ofSeconds(10)).exitCode");
        assertEquals(0, r.code(), r.err());
        assertEquals("7\n", r.out());
    }

    @Test void logLevelsFromTheCommandLine() {
        Result ok = run("", "--log", "bus=debug", "-e", ":log");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("io.drydock.kernel.bus") && ok.out().contains("debug"), ok.out());
        run("", "--log", "bus=default", "-e", "");
        Result bad = run("", "--log", "bus=loud", "-e", "1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("drydock: unknown level 'loud'"), bad.err());
        Result unknown = run("", "--log", "nosuch=debug", "-e", "println 1");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("drydock: --log: unknown log component 'nosuch' (components: "), unknown.err());
    }

    @Test void helpVersionAndUsageErrors() {
        Result help = run("", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--plugins") && help.out().contains("-e"), help.out());
        Result version = run("", "--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("Drydock "), version.out());
        Result bad = run("", "--no-such-option");
        assertEquals(2, bad.code());
    }

    @Test void aMissingFileIsOneLine() {
        Result r = run("", tmp.resolve("missing.groovy").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith(tmp.resolve("missing.groovy") + ": cannot read"), r.err());
        assertEquals(1, r.err().lines().count());
    }
}
