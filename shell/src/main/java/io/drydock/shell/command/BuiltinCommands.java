package io.drydock.shell.command;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.Suggestions;
import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;
import io.drydock.shell.Session;
import io.drydock.shell.dsl.MachineDsl;
import io.drydock.shell.log.Logging;
import io.drydock.shell.plugin.PluginStatus;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell's own colon commands. They implement the same {@link ShellCommand} interface as plugins' commands
 * but are registered directly: they need the {@link Session}, which plugins never see.
 */
public final class BuiltinCommands {
    private BuiltinCommands() {}

    public static List<ShellCommand> all(Session s) {
        return List.of(new Help(s), new Plugins(s), new Load(s), new Log(), new Quit(s), new Metrics(s), new Machines(s), new Use(s));
    }

    private static void noArgs(List<String> args) {
        if (!args.isEmpty()) throw new IllegalArgumentException("takes no arguments");
    }

    /** {@code :help}: commands, machine words, script bindings. */
    record Help(Session s) implements ShellCommand {
        @Override public String name() { return "help"; }

        @Override public String description() { return "commands, machine DSL words and script bindings"; }

        @Override public void execute(ShellContext c, List<String> args) {
            noArgs(args);
            Map<String, String> commands = new LinkedHashMap<>();
            for (ShellCommand cmd : s.commands().values()) {
                commands.put(":" + cmd.name() + (cmd.usage().isBlank() ? "" : " " + cmd.usage()), cmd.description());
            }
            Map<String, String> functions = new LinkedHashMap<>();
            functions.put("machine { WORDS }", "build a machine from the words below (returns it, created)");
            functions.put("machineSpec { WORDS }", "the same without building: shows what each word adds");
            Map<String, String> words = new TreeMap<>();
            MachineDsl.KERNEL_WORDS.values().forEach(h -> put(words, h));
            for (MachineWord w : s.dsl().words().values()) {
                String h = w.help() == null ? "" : w.help();
                put(words, h.startsWith(w.name()) ? h : w.name() + " — " + h);
            }
            Map<String, String> bindings = new TreeMap<>();
            s.bindingHelp().values().forEach(h -> put(bindings, h));

            int width = 0;
            for (Map<String, String> m : List.of(commands, functions, words, bindings)) {
                for (String k : m.keySet()) width = Math.max(width, Math.min(k.length(), 26));
            }
            PrintWriter out = c.out();
            section(out, "Commands:", commands, width);
            section(out, "Functions:", functions, width);
            section(out, "Machine words:", words, width);
            if (s.dsl().words().isEmpty()) out.println("  (no plugin provides a board or device yet; see :plugins)");
            if (!bindings.isEmpty()) section(out, "Script bindings:", bindings, width);
            out.println("Groovy code runs as typed; Tab completes, Ctrl-C interrupts, Ctrl-D or :quit leaves.");
        }

        /** Help lines read "usage — meaning"; the usage goes in the left column. */
        private static void put(Map<String, String> into, String help) {
            int dash = help.indexOf(" — ");
            if (dash < 0) into.put(help, "");
            else into.put(help.substring(0, dash), help.substring(dash + 3));
        }

        private static void section(PrintWriter out, String title, Map<String, String> rows, int width) {
            out.println(title);
            rows.forEach((k, v) -> {
                if (k.length() > width) out.printf("  %s%n  %-" + width + "s  %s%n", k, "", v);
                else out.printf("  %-" + width + "s  %s%n", k, v);
            });
        }
    }

    /** {@code :plugins}: one line per plugin, failures with their reason. */
    record Plugins(Session s) implements ShellCommand {
        @Override public String name() { return "plugins"; }

        @Override public String description() { return "list plugins: id, version, state (and why, if failed)"; }

        @Override public void execute(ShellContext c, List<String> args) {
            noArgs(args);
            List<PluginStatus> all = s.plugins().status();
            if (all.isEmpty()) {
                c.out().println("no plugins in " + s.plugins().directory());
                return;
            }
            for (PluginStatus p : all) c.out().println(p);
        }
    }

    /** {@code :load FILE}: runs a Groovy file in the session. */
    record Load(Session s) implements ShellCommand {
        @Override public String name() { return "load"; }

        @Override public String description() { return "run a Groovy file in this session"; }

        @Override public String usage() { return "FILE"; }

        @Override public void execute(ShellContext c, List<String> args) throws Exception {
            if (args.size() != 1) throw new IllegalArgumentException("needs one file");
            s.runFile(Path.of(args.getFirst()));
        }
    }

    /** {@code :log [COMPONENT LEVEL]}: shows or sets log levels. */
    record Log() implements ShellCommand {
        @Override public String name() { return "log"; }

        @Override public String description() { return "show log levels, or set one (e.g. :log bus debug)"; }

        @Override public String usage() { return "[COMPONENT LEVEL]"; }

        @Override public void execute(ShellContext c, List<String> args) {
            if (args.isEmpty()) {
                Logging.levels().forEach((name, level) -> c.out().printf("%-32s %s%n", name, level));
                return;
            }
            if (args.size() != 2) throw new IllegalArgumentException("needs a component and a level");
            String logger = Logging.setKnownLevel(args.get(0), args.get(1));
            c.out().println(logger + " = " + args.get(1).toLowerCase(java.util.Locale.ROOT));
        }

        @Override public List<String> complete(ShellContext c, List<String> argsSoFar) {
            return switch (argsSoFar.size()) {
                case 0 -> Logging.components();
                case 1 -> List.of("trace", "debug", "info", "warn", "error", "off", "default");
                default -> List.of();
            };
        }
    }

    /** {@code :quit}. */
    record Quit(Session s) implements ShellCommand {
        @Override public String name() { return "quit"; }

        @Override public String description() { return "leave the shell (stops its machines)"; }

        @Override public void execute(ShellContext c, List<String> args) {
            noArgs(args);
            s.requestQuit();
        }
    }

    /** {@code :metrics [PREFIX] [--all|--reset|--json] [--machine NAME]}: the current machine's metrics. */
    record Metrics(Session s) implements ShellCommand {
        private static final List<String> OPTIONS = List.of("--all", "--reset", "--json", "--machine");

        @Override public String name() { return "metrics"; }

        @Override public String description() {
            return "metrics of the current machine, or of --machine NAME (non-zero ones unless --all)";
        }

        @Override public String usage() { return "[PREFIX] [--all|--reset|--json] [--machine NAME]"; }

        @Override public void execute(ShellContext c, List<String> args) {
            String prefix = "";
            String mode = "table";
            String machine = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--all" -> mode = "all";
                    case "--reset" -> mode = "reset";
                    case "--json" -> mode = "json";
                    case "--machine" -> {
                        if (++i == args.size()) throw new IllegalArgumentException("--machine needs a machine's name");
                        machine = args.get(i);
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a + Suggestions.didYouMean(a, OPTIONS)
                                    + " (options: " + String.join(", ", OPTIONS) + ")");
                        }
                        if (!prefix.isEmpty()) throw new IllegalArgumentException("one PREFIX only, got '" + prefix + "' and '" + a + "'");
                        prefix = a;
                    }
                }
            }
            Machine m = c.machine(machine);
            if (!prefix.isEmpty() && m.metrics().list(prefix).isEmpty()) {
                java.util.Set<String> groups = new java.util.TreeSet<>();
                for (var x : m.metrics().list("")) {
                    groups.add(x.name());
                    groups.add(x.name().contains(".") ? x.name().substring(0, x.name().indexOf('.')) : x.name());
                }
                throw new IllegalArgumentException("no metric of machine '" + m.name() + "' starts with '" + prefix + "'"
                        + Suggestions.didYouMean(prefix, groups));
            }
            switch (mode) {
                case "reset" -> {
                    m.metrics().reset(prefix);
                    c.out().println("reset " + (prefix.isEmpty() ? "all metrics" : prefix + "*") + " of " + m.name());
                }
                case "json" -> c.out().println(m.metrics().toJson(prefix));
                default -> c.out().print(m.metrics().table(prefix, mode.equals("all")));
            }
        }

        @Override public List<String> complete(ShellContext c, List<String> argsSoFar) {
            if (!argsSoFar.isEmpty() && argsSoFar.getLast().equals("--machine")) {
                return c.machines().stream().map(Machine::name).toList();
            }
            Machine m = c.currentMachine();
            List<String> names = m == null ? List.of() : m.metrics().list("").stream().map(x -> x.name()).toList();
            return java.util.stream.Stream.concat(names.stream(), OPTIONS.stream()).toList();
        }
    }

    /** {@code :use NAME}: makes a machine current (the same as {@code use m2} in code). */
    record Use(Session s) implements ShellCommand {
        @Override public String name() { return "use"; }

        @Override public String description() { return "make a machine current: the helpers act on it (also: use m2)"; }

        @Override public String usage() { return "NAME"; }

        @Override public void execute(ShellContext c, List<String> args) {
            if (args.size() != 1) throw new IllegalArgumentException("needs one machine's name");
            Machine m = s.use(args.getFirst());
            c.out().println("current machine: " + m.name());
        }

        @Override public List<String> complete(ShellContext c, List<String> argsSoFar) {
            return argsSoFar.isEmpty() ? c.machines().stream().map(Machine::name).toList() : List.of();
        }
    }

    /** {@code :machines}: the session's machines and their states. */
    record Machines(Session s) implements ShellCommand {
        @Override public String name() { return "machines"; }

        @Override public String description() { return "machines built in this session; * marks the current one"; }

        @Override public void execute(ShellContext c, List<String> args) {
            noArgs(args);
            List<Machine> all = c.machines();
            if (all.isEmpty()) c.out().println("no machines yet");
            Machine current = c.currentMachine();
            for (Machine m : all) {
                c.out().printf("%s %-12s %-8s %,d instructions%s%n", m == current ? "*" : " ", m.name(), m.state(),
                        m.instructionsRetired(), m.exitCode() == null ? "" : ", exit code " + m.exitCode());
            }
        }
    }
}
