package io.drydock.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A command line's options as one table: each entry parses its option and describes it in the help text,
 * so the two cannot drift apart. For {@code scripts/run}, whose start-up is measured in milliseconds: no
 * reflection, no annotations, nothing loaded that the run does not use (picocli's classes are Java 5
 * bytecode, which the JDK's AOT cache cannot hold, and it builds its model by reflection at every start).
 *
 * <p>The forms accepted are getopt's: {@code --name value}, {@code --name=value}, {@code -x value},
 * {@code -xvalue}, and flags. An option that takes a value takes the next argument whatever it looks like,
 * so {@code --append --verbose} passes {@code --verbose} to the kernel.
 *
 * @param <T> what the options are set on
 */
public final class CommandOptions<T> {
    /** A bad command line: the message says which argument and why. */
    public static final class BadOptionException extends Exception {
        public BadOptionException(String message) { super(message, null, false, false); }
    }

    /** How an option's value is stored; throws IllegalArgumentException for a bad value. */
    @FunctionalInterface
    public interface Setter<T> {
        void set(T target, String value) throws BadOptionException;
    }

    /** One option: its names, the label of its value (null for a flag), its help line and what it sets. */
    public record Option<T>(List<String> names, String label, String description, Setter<T> setter) {
        boolean isFlag() { return label == null; }
    }

    private final List<Option<T>> options = new ArrayList<>();

    /** An option with a value: {@code names} is one or more of {@code --long} and {@code -s}. */
    public CommandOptions<T> value(String names, String label, String description, BiConsumer<T, String> set) {
        options.add(new Option<>(List.of(names.split(",")), label, description, (t, v) -> set.accept(t, v)));
        return this;
    }

    /** An option with a number (an int or long that {@code set} stores). */
    public CommandOptions<T> number(String names, String label, String description, BiConsumer<T, Long> set) {
        options.add(new Option<>(List.of(names.split(",")), label, description, (t, v) -> {
            try {
                set.accept(t, Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw new BadOptionException("invalid value for " + names.split(",")[0] + ": '" + v + "' is not a number");
            }
        }));
        return this;
    }

    /** A flag: present or not. */
    public CommandOptions<T> flag(String names, String description, Consumer<T> set) {
        options.add(new Option<>(List.of(names.split(",")), null, description, (t, v) -> set.accept(t)));
        return this;
    }

    /** Adds the options another file keeps (a group such as the boot or debugger options). */
    public CommandOptions<T> include(java.util.function.UnaryOperator<CommandOptions<T>> group) {
        return group.apply(this);
    }

    public List<Option<T>> options() { return List.copyOf(options); }

    /**
     * Sets every option of {@code args} on {@code target}, in order.
     *
     * @throws BadOptionException for an unknown option, a missing value, a bad value or a stray argument
     */
    public void parse(T target, String[] args) throws BadOptionException {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
            } else if (arg.startsWith("-") && arg.length() > 2 && find(arg) == null) {
                name = arg.substring(0, 2); // -eVALUE, -m256M
                value = arg.substring(2);
            } else if (!arg.startsWith("-") || arg.length() == 1) {
                throw new BadOptionException("unexpected argument '" + arg + "' (options start with -)");
            }
            Option<T> o = find(name);
            if (o == null) throw new BadOptionException("unknown option '" + name + "'");
            if (o.isFlag()) {
                if (value != null) throw new BadOptionException("option " + name + " takes no value");
            } else if (value == null) {
                if (i + 1 >= args.length) throw new BadOptionException("option " + name + " needs a value: " + name + " " + o.label());
                value = args[++i];
            }
            try {
                o.setter().set(target, value);
            } catch (IllegalArgumentException e) {
                throw new BadOptionException("invalid value for " + name + ": " + e.getMessage());
            }
        }
    }

    private Option<T> find(String name) {
        for (Option<T> o : options) if (o.names().contains(name)) return o;
        return null;
    }

    /** The help text: a usage line, the description lines, then one entry per option in table order. */
    public String usage(String usageLine, List<String> description) {
        StringBuilder sb = new StringBuilder("Usage: ").append(usageLine).append('\n');
        for (String d : description) sb.append(d).append('\n');
        List<String> left = new ArrayList<>();
        int width = 0;
        for (Option<T> o : options) {
            List<String> shorts = o.names().stream().filter(n -> !n.startsWith("--")).toList();
            List<String> longs = o.names().stream().filter(n -> n.startsWith("--")).toList();
            String s = (shorts.isEmpty() ? "    " : shorts.getFirst() + (longs.isEmpty() ? "" : ", "))
                    + String.join(", ", longs) + (o.isFlag() ? "" : (longs.isEmpty() ? " " : "=") + o.label());
            left.add(s);
            width = Math.max(width, s.length());
        }
        for (int i = 0; i < options.size(); i++) {
            sb.append("  ").append(left.get(i)).append(" ".repeat(width - left.get(i).length() + 2))
                    .append(options.get(i).description()).append('\n');
        }
        return sb.toString();
    }
}
