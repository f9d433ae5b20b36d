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
        for (String p : KERNEL_PACKAGES) ALIASES.put(p, "io.drydock.kernel." + p);
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
        ch.qos.logback.classic.Logger logger = context().getLogger(name);
        // "default" unsets the level so the logger inherits its parent's again (not allowed for root).
        logger.setLevel(lv.equals("default") ? (name.equals(Logger.ROOT_LOGGER_NAME) ? Level.WARN : null) : Level.toLevel(lv));
        return name;
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

    /** Component names for completion: the aliases and every logger created so far. */
    public static List<String> components() {
        List<String> out = new ArrayList<>(ALIASES.keySet());
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
