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
}
