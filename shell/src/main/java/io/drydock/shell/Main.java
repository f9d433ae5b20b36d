package io.drydock.shell;

import io.drydock.shell.log.LogProvider;
import io.drydock.shell.groovy.ScriptError;
import io.drydock.shell.log.Logging;
import io.drydock.shell.plugin.PluginHost;
import io.drydock.shell.plugin.PluginStatus;
import io.drydock.shell.repl.Repl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code scripts/drydock}: the interactive shell, or script mode — a file, {@code -e CODE}, or code on
 * standard input when it is not a terminal. Exit codes: 0 ok, 1 the script failed (one line
 * {@code FILE:LINE: message} on standard error), 2 bad command line.
 */
@Command(name = "drydock", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Assemble, boot and inspect virtual machines from a Groovy shell.",
                "Without FILE or -e: the interactive shell if standard input is a terminal, else runs standard input.",
                "Lines starting with :command (:help, :plugins, :log ...) work in scripts too."})
public final class Main implements Callable<Integer> {
    @Option(names = "-e", paramLabel = "CODE", description = "Run CODE and exit (errors are reported as -e:LINE).")
    String code;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Plugins directory (default: $DRYDOCK_PLUGINS, else build/plugins of the installation).")
    Path pluginsDir;

    @Option(names = "--log", paramLabel = "COMPONENT=LEVEL",
            description = "Log level of a component, e.g. bus=debug, kernel=info, root=debug (repeatable).")
    List<String> logs = new ArrayList<>();

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "A Groovy script to run.")
    String file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the script, as `args`.")
    List<String> scriptArgs = new ArrayList<>();

    private InputStream stdin;
    private PrintStream stdout;
    private PrintStream stderr;
    private Map<String, String> env;
    private boolean stdinIsTerminal;

    public static void main(String[] argv) {
        LogProvider.select();
        warmUpGroovy();
        int code = run(argv, System.in, System.out, System.err, System.getenv(), stdinIsTerminal());
        System.exit(code); // machines' threads and plugin threads must not keep the JVM alive
    }

    /**
     * Groovy's first use is slow: its meta-class registry (~1 s of class loading) and the ANTLR parser's
     * first parse (more than that). Doing both on a spare thread while the command line is parsed and
     * the plugins load takes most of it off the wall-clock time of every start.
     */
    private static void warmUpGroovy() {
        Thread.ofPlatform().daemon().name("groovy-warm-up").start(() -> {
            try {
                new groovy.lang.GroovyShell().parse("def x = [1].collect { it * 2 }");
            } catch (RuntimeException | LinkageError e) {
                // only a warm-up: the real session reports real problems
            }
        });
    }

    /** Everything {@link #main} does, with its streams and environment given (for tests). */
    public static int run(String[] argv, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                          boolean stdinIsTerminal) {
        Main main = new Main();
        main.stdin = in;
        main.stdout = out;
        main.stderr = err;
        main.env = env;
        main.stdinIsTerminal = stdinIsTerminal;
        CommandLine cl = new CommandLine(main)
                .setStopAtPositional(true) // everything after FILE belongs to the script
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        return cl.execute(argv);
    }

    @Override public Integer call() throws IOException {
        try {
            for (String l : logs) Logging.apply(l);
        } catch (IllegalArgumentException e) {
            stderr.println("drydock: " + e.getMessage());
            return 2;
        }
        PluginHost plugins = PluginHost.load(pluginsDirectory(), Version.number());
        try {
            if (code == null && file == null && stdinIsTerminal) return interactive(plugins);
            return script(plugins);
        } finally {
            plugins.stop();
        }
    }

    private int script(PluginHost plugins) throws IOException {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        try (Session session = new Session(plugins, out, err, false)) {
            report(plugins, session, err);
            try {
                for (String l : logs) Logging.requireKnown(l);
            } catch (IllegalArgumentException e) {
                err.println("drydock: --log: " + e.getMessage());
                return 2;
            }
            List<String> args = new ArrayList<>(scriptArgs);
            if (code != null && file != null) args.addFirst(file); // with -e, every word is an argument
            session.setVariable("args", args.toArray(String[]::new));
            try {
                if (code != null) session.run(code, "-e");
                else if (file != null) session.runFile(Path.of(file));
                else session.run(new String(stdin.readAllBytes(), StandardCharsets.UTF_8), "<stdin>");
                return 0;
            } catch (ScriptError e) {
                out.flush();
                err.println(e.oneLine());
                return 1;
            }
        }
    }

    private int interactive(PluginHost plugins) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("drydock").build()) {
            PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
            try (Session session = new Session(plugins, terminal.writer(), terminal.writer(), true)) {
                terminal.writer().println("Drydock " + Version.number() + " — :help for help, Ctrl-D to leave");
                report(plugins, session, terminal.writer());
                err.flush();
                new Repl(session, terminal, historyFile()).run();
            }
        }
        return 0;
    }

    /** Startup report: one line per plugin that failed, and any clash of names. */
    private static void report(PluginHost plugins, Session session, PrintWriter err) {
        for (PluginStatus p : plugins.problems()) {
            err.println("drydock: plugin '" + p.id() + "' (" + Path.of(p.file()).getFileName() + ") " + p.state()
                    + ": " + p.problem());
        }
        for (String w : session.warnings()) err.println("drydock: " + w);
        err.flush();
    }

    /** --plugins, else $DRYDOCK_PLUGINS, else build/plugins of the installation. */
    Path pluginsDirectory() { return pluginsDirectoryFrom(env); }

    Path pluginsDirectoryFrom(Map<String, String> env) { return PluginHost.directoryFor(pluginsDir, env); }

    /** $DRYDOCK_HOME/history, else ~/.drydock_history. */
    Path historyFile() {
        String home = env.get("DRYDOCK_HOME");
        if (home != null && !home.isBlank()) return Path.of(home, "history");
        return Path.of(System.getProperty("user.home"), ".drydock_history");
    }

    /** isatty(0): the shell is interactive only when a person can type at it. */
    static boolean stdinIsTerminal() { return RunIo.stdinIsTerminal(); }

    /** The version from the build (drydock-version.properties, filtered by Maven). */
    public static final class Version implements CommandLine.IVersionProvider {
        private static final String NUMBER = DrydockVersion.number();

        public static String number() { return NUMBER; }

        @Override public String[] getVersion() {
            return new String[]{"Drydock " + NUMBER + " (Java " + Runtime.version() + ")"};
        }
    }
}
