package io.drydock.shell.repl;

import io.drydock.shell.Session;
import io.drydock.shell.plugin.PluginHost;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REPL over a dumb terminal fed through a pipe, as a person would type. */
class ReplTest {
    @TempDir Path tmp;

    /** A REPL on its own thread; {@link #type} sends lines, {@link #waitFor} waits for output. */
    final class Running implements AutoCloseable {
        final PipedOutputStream keys = new PipedOutputStream();
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final Terminal terminal;
        final Session session;
        final Repl repl;
        final Thread thread;

        Running() throws IOException {
            terminal = new DumbTerminal("test", "dumb", new PipedInputStream(keys, 1 << 16), screen, StandardCharsets.UTF_8);
            session = new Session(PluginHost.load(tmp.resolve("plugins"), "0.1.0"), terminal.writer(), terminal.writer(), true);
            repl = new Repl(session, terminal, tmp.resolve("history"));
            thread = Thread.ofPlatform().name("repl-under-test").start(repl::run);
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        String screen() {
            synchronized (screen) { return screen.toString(StandardCharsets.UTF_8); }
        }

        void waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!screen().contains(text)) {
                if (System.nanoTime() > deadline) throw new AssertionError("no '" + text + "' on screen:\n" + screen());
                Thread.sleep(20);
            }
        }

        /** Ctrl-D: end of input. */
        @Override public void close() throws Exception {
            keys.close();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "the REPL did not end at end of input");
            session.close();
            terminal.close();
        }
    }

    @Test void evaluatesKeepsVariablesReportsErrorsAndGoesOn() throws Exception {
        try (Running r = new Running()) {
            r.type("def x = 5\n");
            r.type("x * 2\n");
            r.waitFor("10");
            r.type("1 / 0\n");
            r.waitFor("error: ArithmeticException: Division by zero");
            r.type("undefinedName\n");
            r.waitFor("error: No such property: undefinedName");
            r.type("x + 100\n");
            r.waitFor("105");
            r.type("null\n");
            r.type("'after null'\n");
            r.waitFor("after null");
        }
    }

    @Test void unfinishedInputContinuesOnTheNextLine() throws Exception {
        try (Running r = new Running()) {
            r.type("def f(n) {\n");
            r.type("  n + 1\n");
            r.type("}\n");
            r.type("f(41)\n");
            r.waitFor("42");
            r.type("[1,\n2,\n3].sum()\n");
            r.waitFor("6");
            r.type("s = '''multi\nline'''\n");
            r.type("s.readLines().size()\n");
            r.waitFor("2");
        }
    }

    @Test void errorsInMultiLineInputShowTheLineAndItsText() throws Exception {
        try (Running r = new Running()) {
            r.type("if (true) {\n  a = 1\n  nope\n}\n");
            r.waitFor("error: line 3: No such property: nope");
            r.waitFor("| nope");
        }
    }

    @Test void ctrlCInterruptsTheEvaluationButNotTheShell() throws Exception {
        try (Running r = new Running()) {
            r.type("Thread.sleep(600000)\n");
            Thread.sleep(500);
            r.terminal.raise(Terminal.Signal.INT);
            r.waitFor("interrupted");
            r.type("while (true) { }\n");
            Thread.sleep(500);
            r.terminal.raise(Terminal.Signal.INT);
            r.type("'still here'\n");
            r.waitFor("still here");
        }
    }

    @Test void commandsRunAndQuitEndsTheShell() throws Exception {
        try (Running r = new Running()) {
            r.type(":plugins\n");
            r.waitFor("no plugins in");
            r.type(":nope\n");
            r.waitFor("unknown command ':nope'");
            r.type(":quit\n");
            r.thread.join(10_000);
            assertFalse(r.thread.isAlive());
        }
    }

    @Test void historyIsKeptInAFile() throws Exception {
        try (Running r = new Running()) {
            r.type("'remember me'\n");
            r.waitFor("remember me");
        }
        assertTrue(Files.readString(tmp.resolve("history")).contains("'remember me'"));
    }
}
