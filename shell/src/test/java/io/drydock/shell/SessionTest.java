package io.drydock.shell;

import io.drydock.shell.groovy.ScriptError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Groovy session: what persists between inputs, how errors are located, colon commands in scripts. */
class SessionTest {
    private final TestSessions.Captured c = TestSessions.plain();
    private final Session s = c.session();

    private Object eval(String code) throws ScriptError { return s.run(code, "<test>"); }

    @Test void declaredVariablesPersistBetweenInputs() throws Exception {
        eval("def x = 5");
        assertEquals(10, eval("x * 2"));
        eval("int n = '7' as int; String t = 42");
        assertEquals(8, eval("n + 1"));
        assertEquals("42", eval("t"));
        eval("def (a, b) = [1, 2]");
        assertEquals(3, eval("a + b"));
        eval("final f = 'fixed'; def u");
        assertEquals("fixed", eval("f"));
        assertNull(eval("u"));
        assertTrue(s.variableNames().containsAll(List.of("x", "n", "t", "a", "b", "f", "u")));
    }

    @Test void declarationsInsideBlocksStayLocal() throws Exception {
        eval("if (true) { def inner = 1 }; [1].each { def insideClosure = 2 }");
        assertFalse(s.variableNames().contains("inner"));
        assertFalse(s.variableNames().contains("insideClosure"));
    }

    @Test void methodsPersistAndMayRecurseOrBeCalledBeforeTheirDefinition() throws Exception {
        assertEquals(6, eval("twice(3)\ndef twice(n) { n * 2 }"));
        assertEquals(120, eval("def fact(n) { n <= 1 ? 1 : n * fact(n - 1) }\nfact(5)"));
        assertNull(eval("def greet(String who = 'world') { \"hello $who\" }"), "a definition alone has no value");
        assertEquals("hello world", eval("greet().toString()"));
        assertEquals(10, eval("twice(5)"));
    }

    @Test void classesAndImportsPersist() throws Exception {
        eval("class Point { int x, y; int sum() { x + y } }");
        assertEquals(7, eval("new Point(x: 3, y: 4).sum()"));
        eval("import java.util.concurrent.atomic.AtomicLong");
        assertEquals(3L, eval("new AtomicLong(3).get()"));
        eval("import static java.lang.Math.max");
        assertEquals(9, eval("max(4, 9)"));
    }

    @Test void kernelPackagesAreImportedByDefault() throws Exception {
        assertEquals(256L << 20, eval("Sizes.parse('256M')"));
        assertEquals(5L, eval("Duration.ofSeconds(5).seconds"));
    }

    @Test void printlnGoesToTheSessionsOutput() throws Exception {
        eval("println 6 * 7");
        assertEquals("42" + System.lineSeparator(), c.output());
    }

    @Test void syntaxErrorsAreLocated() {
        ScriptError e = assertThrows(ScriptError.class, () -> s.run("x = 1\nthis is not groovy (((", "-e"));
        assertTrue(e.compileError());
        assertEquals(2, e.line());
        assertEquals("-e:2: Unexpected input: '('", e.oneLine());
    }

    @Test void runtimeErrorsAreLocatedInTheUsersSourceWithoutGeneratedNames() {
        ScriptError e = assertThrows(ScriptError.class, () -> s.run("a = 1\nb = 2\nnoSuchVariable + 1", "f.groovy"));
        assertEquals(3, e.line());
        assertEquals("f.groovy:3: No such property: noSuchVariable", e.oneLine());
        assertEquals("noSuchVariable + 1", e.sourceLine());
        ScriptError z = assertThrows(ScriptError.class, () -> s.run("1 / 0", "-e"));
        assertEquals("-e:1: ArithmeticException: Division by zero", z.oneLine());
    }

    @Test void framesOfClosuresFromEarlierInputsPointAtTheirOwnSource() throws Exception {
        s.run("\n\nboom = { -> throw new IllegalStateException('bang') }", "lib.groovy");
        ScriptError e = assertThrows(ScriptError.class, () -> s.run("x = 1\nboom()", "main.groovy"));
        assertEquals("lib.groovy:3: bang", e.oneLine());
        assertEquals(List.of("lib.groovy", "main.groovy"), e.frames().stream().map(ScriptError.Frame::script).toList());
        assertEquals(2, e.frames().getLast().line());
    }

    @Test void theSessionGoesOnAfterAnError() throws Exception {
        eval("def kept = 'yes'");
        assertThrows(ScriptError.class, () -> eval("throw new RuntimeException('x')"));
        assertEquals("yes", eval("kept"));
    }

    @Test void colonCommandsRunInScriptsAndLineNumbersStayThoseOfTheFile() throws Exception {
        s.run("x = 1\n:log bus debug\nprintln x", "s.groovy");
        assertTrue(c.output().contains("io.drydock.kernel.bus = debug"), c.output());
        s.run(":log bus default", "s.groovy");
        ScriptError e = assertThrows(ScriptError.class, () -> s.run("x = 1\n:log bus debug\n\nnope()", "s.groovy"));
        assertEquals(4, e.line());
        ScriptError cmd = assertThrows(ScriptError.class, () -> s.run("x = 1\n:frobnicate", "s.groovy"));
        assertEquals("s.groovy:2: unknown command ':frobnicate' (try :help)", cmd.oneLine());
        ScriptError typo = assertThrows(ScriptError.class, () -> s.run(":metrcs", "-e"));
        assertEquals("-e:1: unknown command ':metrcs' — did you mean ':metrics'? (try :help)", typo.oneLine());
        ScriptError usage = assertThrows(ScriptError.class, () -> s.run(":log bus loud", "-e"));
        assertTrue(usage.oneLine().startsWith("-e:1: unknown level 'loud'"), usage.oneLine());
    }

    @Test void unknownLogComponentsAreRefusedWithTheList() {
        ScriptError e = assertThrows(ScriptError.class, () -> s.run(":log nosuch trace", "-e"));
        assertTrue(e.oneLine().startsWith("-e:1: unknown log component 'nosuch' (components: root, "), e.oneLine());
        assertTrue(e.oneLine().contains("machine"), e.oneLine());
        ScriptError typo = assertThrows(ScriptError.class, () -> s.run(":log machin debug", "-e"));
        assertTrue(typo.oneLine().contains("unknown log component 'machin' — did you mean 'machine'?"), typo.oneLine());
    }

    @Test void durationsPrintAsPeopleWriteThem() throws Exception {
        eval("println Duration.ofSeconds(5)");
        assertEquals("5 s" + System.lineSeparator(), c.output());
        assertEquals("1.5 s", Session.render(eval("Duration.ofMillis(1500)")));
    }

    @Test void durationsInStringsReadAsPeopleWriteThem() throws Exception {
        assertEquals("waited 5 s", eval("\"waited ${5.s}\".toString()"));
        assertEquals("5 s and 250 ms", eval("d = 5.s; \"$d and ${250.ms}\".toString()"));
        assertEquals("t = 2 min 30 s", eval("'t = ' + 150.s"));
        assertEquals("3 runs, 1.5 s", eval("n = 3; \"$n runs, \" + 1.5.s"));
        assertEquals("in a closure: 5 s", eval("[5.s].collect { \"in a closure: $it\" }[0].toString()"));
        assertEquals("in a method: 1 ms", eval("def f(x) { \"in a method: ${x}\" }\nf(1.ms).toString()"));
        assertEquals("not a duration: 42 [1, 2]", eval("\"not a duration: ${42} ${[1, 2]}\".toString()"));
        assertEquals("lazy 5 s, then lazy 7 s", eval("d = 5.s; g = \"lazy ${-> d}\"; a = g.toString(); d = 7.s; a + ', then ' + g"));
        assertEquals("with a writer PT1S", eval("\"with a writer ${w -> w << 1.s}\".toString()"), "a writer closure writes what it writes");
        eval("print 5.s; println ''; println \"${5.s}\"");
        assertEquals("5 s" + System.lineSeparator() + "5 s" + System.lineSeparator(), c.output());
    }

    @Test void aColonInsideAnUnfinishedStatementIsCode() throws Exception {
        assertEquals("no", eval("r = false ?\n  'yes'\n  :'no'\nr"));
    }

    @Test void loadRunsAFileInTheSession(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("lib.groovy"), "#!/usr/bin/env drydock\ndef triple(n) { 3 * n }\nloaded = true\n");
        eval(":load " + f);
        assertEquals(true, eval("loaded"));
        assertEquals(9, eval("triple(3)"));
        Path bad = Files.writeString(dir.resolve("bad.groovy"), "\n\nundefinedThing");
        ScriptError e = assertThrows(ScriptError.class, () -> eval(":load " + bad));
        assertEquals(bad + ":3: No such property: undefinedThing", e.oneLine());
    }

    @Test void quitStopsAScript() throws Exception {
        s.run("a = 1\n:quit\na = 2", "-e");
        assertTrue(s.quitRequested());
        assertEquals(1, s.variable("a"));
    }

    @Test void anInterruptStopsAnEndlessLoop() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                s.run("while (true) { }", "<test>");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(300);
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive(), "the loop ignored the interrupt");
        assertTrue(failure.get() instanceof ScriptError e && e.interrupted(), String.valueOf(failure.get()));
    }

    @Test void groovyExtensionModulesInPluginJarsExtendTheSession(@TempDir Path dir) throws Exception {
        PluginJars.write(dir, new PluginJars.Spec("units").sources("units").resource(
                "META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule",
                "moduleName=test-units\nmoduleVersion=1.0\nextensionClasses=org.example.units.Units\n"));
        Session withUnits = TestSessions.withPlugins(io.drydock.shell.plugin.PluginHost.load(dir, "0.1.0")).session();
        assertEquals(3072L, withUnits.run("3.KiB", "<test>"));
    }

    @Test void helpListsCommandsWordsAndFunctions() throws Exception {
        eval(":help");
        String out = c.output();
        for (String expected : List.of(":plugins", ":load FILE", ":log [COMPONENT LEVEL]", ":quit", "machine { WORDS }", "memory SIZE")) {
            assertTrue(out.contains(expected), expected + " missing in:\n" + out);
        }
    }
}
