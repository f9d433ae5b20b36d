package io.drydock.shell;

import io.drydock.kernel.clock.Durations;
import io.drydock.kernel.machine.ConsoleTerminal;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineState;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;
import io.drydock.shell.command.BuiltinCommands;
import io.drydock.shell.dsl.MachineDsl;
import io.drydock.shell.groovy.DrydockBinding;
import io.drydock.shell.groovy.GroovyEngine;
import io.drydock.shell.groovy.ScriptError;
import io.drydock.shell.log.Logging;
import io.drydock.shell.plugin.PluginHost;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Groovy session with its commands, machine DSL, script bindings and the machines it built: what the
 * REPL and script mode both run code in, and the {@link ShellContext} commands and plugins see.
 *
 * <p>Evaluations run one at a time (the REPL's worker thread, or the main thread in script mode); the
 * machine list may be read from any thread.
 */
public final class Session implements ShellContext, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final PluginHost plugins;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private final MachineDsl dsl;
    private final DrydockBinding binding;
    private final GroovyEngine engine;
    private final Map<String, ShellCommand> commands = new TreeMap<>();
    private final Map<String, String> bindingHelp = new TreeMap<>();
    private final MachineSelection machines = new MachineSelection();
    private final List<String> warnings = new ArrayList<>();
    private volatile boolean quit;

    public Session(PluginHost plugins, PrintWriter out, PrintWriter err, boolean interactive) {
        this.plugins = plugins;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.dsl = new MachineDsl(plugins.extensions(MachineWord.class), plugins::extensions, machines::built, warnings::add);
        this.binding = new DrydockBinding(dsl, machines);
        binding.setVariable("out", out); // println in scripts goes where the session prints
        this.engine = new GroovyEngine(plugins.classLoader(), binding);
        GroovyExtensionModules.register(plugins.startedLoaders(), warnings::add);
        for (ShellCommand c : BuiltinCommands.all(this)) commands.put(c.name(), c);
        for (ShellCommand c : plugins.extensions(ShellCommand.class)) {
            if (commands.putIfAbsent(c.name(), c) != null) {
                warnings.add("command :" + c.name() + " of " + c.getClass().getName() + " is already defined; ignored");
            }
        }
        // :log riscv debug must work before the plugin's classes have made their loggers
        for (Class<?> point : List.of(MachineWord.class, ShellCommand.class, ScriptBinding.class)) {
            for (Object e : plugins.extensions(point)) Logging.registerPackage(e.getClass().getPackageName());
        }
        for (ScriptBinding b : plugins.extensions(ScriptBinding.class)) {
            try {
                b.bindings(this).forEach(binding::setVariable);
                bindingHelp.putAll(b.help());
            } catch (RuntimeException | LinkageError e) {
                warnings.add("script bindings of " + b.getClass().getName() + " failed: " + e);
            }
        }
    }

    /** Problems found while setting up (name clashes, failing bindings), for the startup report. */
    public List<String> warnings() { return List.copyOf(warnings); }

    public PluginHost plugins() { return plugins; }

    public MachineDsl dsl() { return dsl; }

    public GroovyEngine engine() { return engine; }

    /** Commands by name, sorted. */
    public Map<String, ShellCommand> commands() { return Collections.unmodifiableMap(commands); }

    /** Script-binding help lines by name, sorted. */
    public Map<String, String> bindingHelp() { return Collections.unmodifiableMap(bindingHelp); }

    /** Set by {@code :quit}: the REPL ends, a script stops after the current line. */
    public boolean quitRequested() { return quit; }

    public void requestQuit() { quit = true; }

    // ---- running code ----

    /**
     * Runs a script or a line typed at the prompt: Groovy code and colon commands, in order.
     *
     * @param script the name errors are reported against ("-e", a file name, "&lt;shell&gt;")
     * @return the value of the last piece of code, or null (commands have no value)
     */
    public Object run(String source, String script) throws ScriptError {
        Object result = null;
        for (SourceChunks.Chunk c : SourceChunks.split(source).chunks()) {
            if (quit) break;
            if (c.command()) {
                command(c.text(), script, c.firstLine());
                result = null;
            } else {
                result = engine.evaluate(c.text(), script, c.firstLine());
            }
            out.flush();
        }
        return result;
    }

    /** {@code :load FILE} and script mode: runs a file in this session. */
    public Object runFile(Path file) throws ScriptError {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw ScriptError.of(file.toString(), 0, "cannot read: " + e.getMessage(), e);
        }
        // A #! line makes the file runnable on its own; Groovy skips it too, but keep line numbers.
        if (text.startsWith("#!")) text = "//" + text;
        return run(text, file.toString());
    }

    /** Runs one colon command line ({@code :log bus debug}). */
    public void command(String line, String script, int lineNumber) throws ScriptError {
        List<String> words;
        try {
            words = SourceChunks.words(line.strip().substring(1));
        } catch (IllegalArgumentException e) {
            throw ScriptError.of(script, lineNumber, e.getMessage(), e);
        }
        if (words.isEmpty()) throw ScriptError.of(script, lineNumber, "empty command (try :help)", null);
        ShellCommand cmd = commands.get(words.getFirst());
        if (cmd == null) {
            String hint = io.drydock.kernel.machine.Suggestions.didYouMean(words.getFirst(), commands.keySet());
            throw ScriptError.of(script, lineNumber, "unknown command ':" + words.getFirst() + "'"
                    + (hint.isEmpty() ? "" : hint.replace("'", "").replace("mean ", "mean ':").replace("?", "'?")) + " (try :help)", null);
        }
        try {
            cmd.execute(this, List.copyOf(words.subList(1, words.size())));
        } catch (IllegalArgumentException e) {
            String usage = ":" + cmd.name() + (cmd.usage().isBlank() ? "" : " " + cmd.usage());
            throw ScriptError.of(script, lineNumber, e.getMessage() + " (usage: " + usage + ")", e);
        } catch (ScriptError e) {
            throw e; // :load of a failing file: the error is located in that file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ScriptError.of(script, lineNumber, ":" + cmd.name() + ": interrupted", e);
        } catch (Exception e) {
            log.debug(":{} failed", cmd.name(), e);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw ScriptError.of(script, lineNumber, ":" + cmd.name() + ": " + msg, e);
        } finally {
            out.flush();
        }
    }

    /** How the REPL shows a value: nothing for null, a machine's summary, Groovy's rendering of the rest. */
    public static String render(Object value) {
        if (value == null) return null;
        if (value instanceof Machine m) return m.toString();
        if (value instanceof Duration d) return Durations.format(d);
        return InvokerHelper.toString(value);
    }

    // ---- ShellContext ----

    @Override public PrintWriter out() { return out; }

    @Override public PrintWriter err() { return err; }

    @Override public boolean interactive() { return interactive; }

    @Override public Object variable(String name) {
        return binding.hasVariable(name) ? binding.getVariable(name) : null;
    }

    @Override public void setVariable(String name, Object value) { binding.setVariable(name, value); }

    /** The session's variable names, sorted. */
    @SuppressWarnings("unchecked")
    public List<String> variableNames() {
        return ((Map<String, Object>) binding.getVariables()).keySet().stream().sorted().toList();
    }

    @Override public List<Machine> machines() { return machines.all(); }

    /** The machine {@code use} chose, else the newest built (the kernel does not tell whether a machine was closed). */
    @Override public Machine currentMachine() { return machines.current(); }

    @Override public Machine machine(Object which) { return machines.find(which); }

    /** {@code use m2}: makes a machine of this session current. */
    public Machine use(Object which) { return machines.use(which); }

    /** Where {@code m.console().attach()} attaches: the REPL's terminal (none in script mode). */
    public void consoleTerminal(ConsoleTerminal t) { machines.terminal(t); }

    @Override public <T> List<T> extensions(Class<T> type) { return plugins.extensions(type); }

    /** Stops and closes every machine of the session (their hart threads would keep the JVM alive). */
    @Override public void close() {
        for (Machine m : machines.all()) {
            try {
                if (m.state() != MachineState.STOPPED) m.stop();
                m.close();
            } catch (RuntimeException e) {
                log.warn("closing machine {} failed", m.name(), e);
            }
        }
        out.flush();
        err.flush();
    }
}
