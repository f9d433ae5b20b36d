package io.drydock.shell.repl;

import io.drydock.shell.Session;
import io.drydock.shell.plugin.PluginHost;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplCompleterTest {
    @TempDir Path tmp;
    private Session session;
    private ReplCompleter completer;
    private final ReplParser parser = new ReplParser();

    @BeforeEach void setUp() throws Exception {
        PrintWriter w = new PrintWriter(new StringWriter());
        session = new Session(PluginHost.load(tmp.resolve("none"), "0.1.0"), w, w, true);
        completer = new ReplCompleter(session);
        session.run("machineName = 'm1'\nmachineCount = 3\nconfig = [size: 1, mode: 'fast']", "<test>");
    }

    /** Candidates that match the word at the end of {@code line}, as JLine would filter them. */
    private List<String> complete(String line) {
        var parsed = (ReplParser.Line) parser.parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE);
        List<Candidate> out = new ArrayList<>();
        completer.complete(null, parsed, out);
        String prefix = parsed.word().substring(0, parsed.wordCursor());
        return out.stream().map(Candidate::value).filter(v -> v.startsWith(prefix)).distinct().sorted().toList();
    }

    @Test void colonCommands() {
        assertEquals(List.of(":plugins"), complete(":pl"));
        assertTrue(complete(":").containsAll(List.of(":help", ":load", ":log", ":quit", ":plugins")));
    }

    @Test void commandArguments() {
        assertTrue(complete(":log ").contains("bus"));
        assertEquals(List.of("debug", "default"), complete(":log bus de"));
    }

    @Test void fileArguments() {
        assertTrue(complete(":load src/").contains("src/main/"), complete(":load src/").toString());
    }

    @Test void variablesWordsAndKeywords() {
        assertEquals(List.of("machineName"), complete("x = machineN"));
        assertTrue(complete("mach").containsAll(List.of("machine", "machineSpec", "machineName")));
        assertTrue(complete("mem").contains("memory"));
        assertTrue(complete("de").contains("def"));
    }

    @Test void membersOfTheValueBeforeTheDot() {
        // String.toUpperCase() and toUpperCase(Locale): a no-argument call is offered whole
        assertEquals(List.of("toUpperCase(", "toUpperCase()"), complete("machineName.toUpp"));
        assertTrue(complete("machineCount.").contains("intValue()"));
        assertTrue(complete("config.").containsAll(List.of("size", "mode")), "map keys");
        assertTrue(complete("config.mode.").contains("length()"), "a chain of properties is followed");
        assertFalse(complete("machineName.").contains("wait()"));
        assertTrue(complete("nothing.").isEmpty());
    }

    @Test void membersAfterAnyExpressionNotOnlyAVariable() throws Exception {
        session.run("m = machineSpec { memory 2.MiB }", "<test>");
        assertTrue(complete("m.toString().").contains("toUpperCase()"), "the declared return type of a call");
        assertTrue(complete("machineName.trim().").contains("length()"));
        assertTrue(complete("'abc'.").contains("length()"), "a string literal");
        assertTrue(complete("[1, 2].").contains("size()"), "a list literal");
        assertTrue(complete("(machineName + 'x').").contains("length()"), "a parenthesised expression");
        assertTrue(complete("x = m.parts().").contains("size()"));
        assertTrue(complete("machineSpec { memory 2.MiB }.").contains("bootargs()"), "a script function with a closure");
        assertFalse(complete("m.toString().").contains("machine"), "no globals after a dot");
        session.run("class Fn { String call(int n) { 'x' * n } }\nfn = new Fn()", "<test>");
        assertTrue(complete("fn(3).").contains("length()"), "a binding called like a function (hart(0).)");
        assertEquals(io.drydock.kernel.machine.MachineConsole.class,
                ReceiverTypes.returnType(io.drydock.kernel.machine.Machine.class, "console", 0), "m.console(). is a console");
        List<Candidate> console = new ArrayList<>();
        ReplCompleter.members(io.drydock.kernel.machine.MachineConsole.class, console);
        assertTrue(console.stream().map(Candidate::value).toList().containsAll(List.of("attach()", "waitFor(", "send(")));
    }
}
