package io.drydock.bench;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.util.Collections;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BenchBindingsTest {
    /** A shell context as the shell would give it, non-interactive. */
    private record Context(PrintWriter out, Map<String, Object> vars) implements ShellContext {
        @Override public PrintWriter err() { return out; }
        @Override public boolean interactive() { return false; }
        @Override public Object variable(String name) { return vars.get(name); }
        @Override public void setVariable(String name, Object value) { vars.put(name, value); }
        @Override public List<Machine> machines() { return List.of(); }
        @Override public Machine currentMachine() { return null; }
        @Override public <T> List<T> extensions(Class<T> type) { return List.of(); }
    }

    @Test
    void extensionIsIndexedForPf4j() throws Exception {
        // Every jar on the class path may have an index (the kernel's too); PF4J reads them all.
        boolean listed = false;
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream idx = url.openStream()) {
                listed |= new String(idx.readAllBytes(), StandardCharsets.UTF_8).lines().anyMatch(BenchBindings.class.getName()::equals);
            }
        }
        assertTrue(listed, "PF4J's annotation processor listed BenchBindings in META-INF/extensions.idx");
        assertTrue(ScriptBinding.class.isAssignableFrom(BenchBindings.class));
    }

    @Test
    void bindingsWorkInASessionAndPrintToItsOutput() {
        StringWriter text = new StringWriter();
        BenchBindings ext = new BenchBindings();
        Map<String, Object> names = ext.bindings(new Context(new PrintWriter(text, true), new HashMap<>()));
        assertEquals(List.of("bench", "sweep", "progress", "report"), List.copyOf(names.keySet()));
        assertEquals(names.keySet(), ext.help().keySet());
        Binding binding = new Binding();
        names.forEach(binding::setVariable);
        Object r = new GroovyShell(binding).evaluate("""
                progress('steps', 2) { p -> p.step(); p.step() }
                bench('bound', outputDir: false, runs: 2, warmup: 0) { variant('a') { } }.baseline().wall().n()
                """);
        assertEquals(2, r);
        assertTrue(text.toString().contains("steps: done 2/2"), text.toString());
        assertTrue(text.toString().contains("bench 'bound'"), text.toString());
    }
}
