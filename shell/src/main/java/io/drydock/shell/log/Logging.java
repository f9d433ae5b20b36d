package io.drydock.shell.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Log levels per component, for {@code :log COMPONENT LEVEL} and {@code --log COMPONENT=LEVEL}. A
 * component is a logger name ({@code io.drydock.kernel.bus}) or a short alias: {@code root}, {@code shell},
 * {@code kernel}, {@code pf4j}, a kernel package ({@code bus}, {@code machine}, {@code irq}, ...) or any
 * other word {@code w}, taken as {@code io.drydock.w} (where this repo's plugins keep their packages).
 */
public final class Logging {
    private Logging() {}

    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    private static final Set<String> KERNEL_PACKAGES =
            Set.of("bus", "clock", "elf", "fdt", "irq", "machine", "memory", "metrics", "spi", "sys", "virtio");

    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put("root", Logger.ROOT_LOGGER_NAME);
        ALIASES.put("all", Logger.ROOT_LOGGER_NAME);
        ALIASES.put("shell", "io.drydock.shell");
        ALIASES.put("plugins", "io.drydock.shell.plugin");
        ALIASES.put("kernel", "io.drydock.kernel");
        ALIASES.put("pf4j", "org.pf4j");
        ALIASES.put("groovy", "org.codehaus.groovy");
        for (String p : new TreeSet<>(KERNEL_PACKAGES)) ALIASES.put(p, "io.drydock.kernel." + p);
    }

    /** Packages of the loaded plugins (io.drydock.riscv ...): components before their loggers exist. */
    private static final Set<String> PACKAGES = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Loggers that setLevel created (no class had asked for them yet): not evidence that a component exists. */
    private static final Set<String> SET_BEFORE_IT_EXISTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Makes a package's loggers (and, for io.drydock.X.Y, the short component X) known before its classes
     * create them. The session registers the packages of every plugin's extensions.
     */
    public static void registerPackage(String pkg) {
        if (pkg == null || pkg.isBlank()) return;
        PACKAGES.add(pkg);
        String[] parts = pkg.split("\\.");
        if (parts.length > 3 && parts[0].equals("io") && parts[1].equals("drydock")) PACKAGES.add("io.drydock." + parts[2]);
    }

    /**
     * Whether a component names something that logs: an alias, a logger that exists, a package above one,
     * or a name inside a registered package. {@code nosuch} (io.drydock.nosuch) is none of these.
     */
    public static boolean known(String component) {
        String c = component.trim();
        if (ALIASES.containsKey(c.toLowerCase(Locale.ROOT))) return true;
        String name = loggerName(c);
        // Inside a package that logs (a class whose logger is not made yet): the plugins' packages and ours.
        Set<String> packages = new java.util.TreeSet<>(PACKAGES);
        packages.add("io.drydock.shell");
        packages.add("io.drydock.kernel");
        for (String p : packages) {
            if (p.equals(name) || p.startsWith(name + ".") || name.startsWith(p + ".")) return true;
        }
        // A logger that exists, or a package above one. (Not "inside" one: logback makes the parents io and
        // io.drydock, and everything would be inside those.)
        for (ch.qos.logback.classic.Logger l : context().getLoggerList()) {
            if (SET_BEFORE_IT_EXISTED.contains(l.getName())) continue; // made by --log itself, perhaps a typo
            if (l.getName().equals(name) || l.getName().startsWith(name + ".")) return true;
        }
        return false;
    }

    /** The short names to offer: aliases, and io.drydock.X of the plugins as X. */
    public static List<String> shortComponents() {
        Set<String> out = new java.util.LinkedHashSet<>(ALIASES.keySet());
        for (String p : PACKAGES) {
            String[] parts = p.split("\\.");
            if (parts.length == 3 && parts[0].equals("io") && parts[1].equals("drydock")) out.add(parts[2]);
        }
        return List.copyOf(out);
    }

    /** The logger name a component stands for. */
    public static String loggerName(String component) {
        String c = component.trim();
        if (c.isEmpty()) throw new IllegalArgumentException("empty component name");
        String alias = ALIASES.get(c.toLowerCase(Locale.ROOT));
        if (alias != null) return alias;
        return c.contains(".") ? c : "io.drydock." + c;
    }

    /**
     * Sets the level of a component.
     *
     * @return the logger name that was changed
     * @throws IllegalArgumentException for an unknown level
     */
    public static String setLevel(String component, String level) {
        String lv = level.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(lv) && !lv.equals("default")) {
            throw new IllegalArgumentException("unknown level '" + level + "' (levels: " + String.join(", ", LEVELS) + ", default)");
        }
        String name = loggerName(component);
        if (context().exists(name) == null) SET_BEFORE_IT_EXISTED.add(name);
        ch.qos.logback.classic.Logger logger = context().getLogger(name);
        // "default" unsets the level so the logger inherits its parent's again (not allowed for root).
        logger.setLevel(lv.equals("default") ? (name.equals(Logger.ROOT_LOGGER_NAME) ? Level.WARN : null) : Level.toLevel(lv));
        return name;
    }

    /**
     * Refuses a "COMPONENT=LEVEL" whose component is unknown (once the plugins' packages are registered;
     * {@link #apply} runs before, so that plugin loading itself can be logged).
     */
    public static void requireKnown(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq > 0) setKnownLevel(assignment.substring(0, eq), assignment.substring(eq + 1));
    }

    /** Applies "COMPONENT=LEVEL" (the command line's form). */
    public static String apply(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0 || eq == assignment.length() - 1) {
            throw new IllegalArgumentException("--log wants COMPONENT=LEVEL, e.g. bus=debug, got '" + assignment + "'");
        }
        return setLevel(assignment.substring(0, eq), assignment.substring(eq + 1));
    }

    /** Loggers with an explicit level, by name. */
    public static Map<String, String> levels() {
        Map<String, String> out = new TreeMap<>();
        for (ch.qos.logback.classic.Logger l : context().getLoggerList()) {
            if (l.getLevel() != null) out.put(l.getName(), l.getLevel().toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * Sets the level of a component that {@link #known exists}; an unknown one is refused with the list.
     *
     * @throws IllegalArgumentException for an unknown component or level
     */
    public static String setKnownLevel(String component, String level) {
        if (!known(component)) {
            List<String> shortOnes = shortComponents();
            throw new IllegalArgumentException("unknown log component '" + component + "'"
                    + io.drydock.kernel.machine.Suggestions.didYouMean(component, shortOnes) + " (components: "
                    + String.join(", ", shortOnes) + ", or a logger or package name such as io.drydock.kernel.bus)");
        }
        return setLevel(component, level);
    }

    /** Component names for completion: the aliases, the plugins' short names and every logger created so far. */
    public static List<String> components() {
        List<String> out = new ArrayList<>(shortComponents());
        for (ch.qos.logback.classic.Logger l : context().getLoggerList()) {
            if (!l.getName().equals(Logger.ROOT_LOGGER_NAME)) out.add(l.getName());
        }
        return out;
    }

    private static LoggerContext context() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext c) return c;
        throw new IllegalStateException("logging is not logback (" + LoggerFactory.getILoggerFactory().getClass().getName() + ")");
    }
}
