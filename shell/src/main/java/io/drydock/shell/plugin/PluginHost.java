package io.drydock.shell.plugin;

import io.drydock.kernel.spi.MachineWord;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugins of one shell: loads and starts every PF4J plugin in a directory, reports the ones that
 * failed (by name, with the reason) without stopping the others, and answers extension lookups. PF4J
 * stays behind this class; the rest of the shell sees {@link PluginStatus} lines, extension instances
 * and one class loader that sees every started plugin (for the Groovy session).
 *
 * <p>Built and used on the shell's threads; lookups are cached per extension type (PF4J's default
 * factory would otherwise make new instances on every lookup) and thread-safe.
 */
public final class PluginHost {
    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final Path directory;
    private final DrydockPluginManager manager;
    private final Map<Class<?>, List<?>> cache = new ConcurrentHashMap<>();
    private final ClassLoader classLoader;

    private PluginHost(Path directory, DrydockPluginManager manager) {
        this.directory = directory;
        this.manager = manager;
        this.classLoader = new PluginsClassLoader(PluginHost.class.getClassLoader(), this::startedLoaders);
    }

    /**
     * Loads and starts the plugins in {@code directory} (which need not exist: then there are none).
     *
     * @param drydockVersion Drydock's version as built (e.g. 0.1.0-SNAPSHOT); each plugin's
     *        {@code Plugin-Requires} is checked against it by one rule, {@code DrydockPluginManager.requirementVersion}
     */
    public static PluginHost load(Path directory, String drydockVersion) {
        long t0 = System.nanoTime();
        Path dir = directory.toAbsolutePath().normalize();
        DrydockPluginManager m = new DrydockPluginManager(List.of(dir), drydockVersion);
        if (Files.isDirectory(dir)) {
            m.loadPlugins();
            m.startPlugins();
            m.checkExtensionClasses();
        }
        PluginHost host = new PluginHost(dir, m);
        log.debug("{} plugins from {} in {} ms", m.getPlugins().size(), dir, (System.nanoTime() - t0) / 1_000_000);
        return host;
    }

    /**
     * Loads and starts only the plugins of {@code directory} that provide {@code words}, with their
     * dependencies and add-ons (see {@link PluginIndex}); the whole directory when it has no valid index
     * yet or a word is not in it, and then writes the index for the next time.
     */
    public static PluginHost loadFor(Path directory, String drydockVersion, Collection<String> words) {
        Path dir = directory.toAbsolutePath().normalize();
        String applicationPath = ClassPathPlugins.applicationIndexPath();
        PluginIndex index = Files.isDirectory(dir) ? PluginIndex.read(dir, applicationPath) : null;
        List<Path> jars = index == null ? null : index.jarsFor(dir, words);
        if (jars != null) {
            long t0 = System.nanoTime();
            DrydockPluginManager m = new DrydockPluginManager(List.of(dir), drydockVersion);
            m.restrictTo(jars, index);
            m.loadPlugins();
            m.startPlugins();
            m.checkExtensionClasses();
            PluginHost host = new PluginHost(dir, m);
            log.debug("{} of the plugins in {} for {} in {} ms", m.getPlugins().size(), dir, words, (System.nanoTime() - t0) / 1_000_000);
            return host;
        }
        PluginHost host = load(dir, drydockVersion);
        if (Files.isDirectory(dir) && host.problems().isEmpty()) {
            PluginIndex.write(dir, host.manager.getStartedPlugins(), host.extensions(MachineWord.class), host,
                    host.manager::getExtensionClassNames, applicationPath);
        }
        return host;
    }

    /** The plugins directory: {@code option} (--plugins), else $DRYDOCK_PLUGINS, else build/plugins of the installation. */
    public static Path directoryFor(Path option, Map<String, String> env) {
        if (option != null) return option;
        String fromEnv = env.get("DRYDOCK_PLUGINS");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        String home = System.getProperty("drydock.home");
        if (home != null) return Path.of(home, "build", "plugins");
        try { // the shell jar lives in ROOT/build/lib
            Path jar = Path.of(PluginHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.getParent() != null && jar.getParent().getFileName().toString().equals("lib")) {
                return jar.getParent().resolveSibling("plugins");
            }
        } catch (Exception e) {
            // not run from a jar: fall through
        }
        return Path.of("build", "plugins");
    }

    public Path directory() { return directory; }

    /** One line per plugin (loaded or not), sorted by id. */
    public List<PluginStatus> status() {
        List<PluginStatus> out = new ArrayList<>();
        for (PluginWrapper w : manager.getPlugins()) {
            String problem = switch (w.getPluginState()) {
                case FAILED -> w.getFailedException() == null ? "failed to start" : reason(w.getFailedException());
                case DISABLED -> w.getFailedException() == null ? "disabled"
                        : "requires Drydock " + w.getDescriptor().getRequires() + ", this is " + manager.drydockVersion();
                case STARTED -> null;
                default -> "not started";
            };
            List<String> ext = manager.extensionProblems().get(w.getPluginId());
            if (problem == null && ext != null && !ext.isEmpty()) problem = "extension " + String.join("; ", ext);
            out.add(new PluginStatus(w.getPluginId(), w.getDescriptor().getVersion(), w.getPluginState().toString(),
                    w.getPluginPath().toString(), problem));
        }
        out.addAll(manager.broken().values());
        out.sort((a, b) -> a.id().compareToIgnoreCase(b.id()));
        return out;
    }

    /** The lines of {@link #status()} that have a problem. */
    public List<PluginStatus> problems() {
        return status().stream().filter(s -> !s.ok()).toList();
    }

    /**
     * Every extension of {@code type} (the application's and every started plugin's), created once and
     * then cached; an extension that fails to instantiate is left out and shows in {@link #status()}.
     */
    @SuppressWarnings("unchecked")
    public <T> List<T> extensions(Class<T> type) {
        return (List<T>) cache.computeIfAbsent(type, t -> Collections.unmodifiableList(manager.safeExtensions(type)));
    }

    /** The id of the plugin that provides {@code type}, or null when it is the application's own. */
    public String pluginOf(Class<?> type) {
        PluginWrapper w = manager.whichPlugin(type);
        return w == null ? null : w.getPluginId();
    }

    /** A class loader that sees the application and every started plugin: the Groovy session's parent. */
    public ClassLoader classLoader() { return classLoader; }

    /** Each started plugin's own class loader, in start order. */
    public List<ClassLoader> startedLoaders() {
        return manager.getStartedPlugins().stream().map(PluginWrapper::getPluginClassLoader).toList();
    }

    /**
     * Stops every started plugin, newest first. Not {@code stopPlugins()}: in PF4J 3.15 it removes from the
     * list it iterates and throws ConcurrentModificationException.
     */
    public void stop() {
        // a copy: stopPlugin removes from the started list
        for (PluginWrapper w : List.copyOf(manager.getStartedPlugins()).reversed()) {
            try {
                manager.stopPlugin(w.getPluginId());
            } catch (RuntimeException | LinkageError e) {
                log.warn("plugin {} failed to stop: {}", w.getPluginId(), reason(e));
            }
        }
    }

    /** A short reason: the message of the deepest cause that has one, with its exception type. */
    static String reason(Throwable e) {
        Throwable t = e;
        String best = null;
        while (t != null) {
            String msg = t.getMessage();
            if (msg != null && !msg.isBlank()) {
                best = (t instanceof org.pf4j.PluginRuntimeException ? "" : t.getClass().getSimpleName() + ": ")
                        + msg.lines().findFirst().orElse(msg);
            }
            if (t.getCause() == t) break;
            t = t.getCause();
        }
        return best != null ? best : e.getClass().getSimpleName();
    }

    /** Parent first, then each started plugin in turn; the plugins' own loaders do their delegation. */
    private static final class PluginsClassLoader extends ClassLoader {
        static { registerAsParallelCapable(); }

        private final java.util.function.Supplier<List<ClassLoader>> plugins;

        PluginsClassLoader(ClassLoader parent, java.util.function.Supplier<List<ClassLoader>> plugins) {
            super("drydock-plugins", parent);
            this.plugins = plugins;
        }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            for (ClassLoader l : plugins.get()) {
                try {
                    return l.loadClass(name);
                } catch (ClassNotFoundException | LinkageError e) {
                    // not in this plugin; try the next
                }
            }
            throw new ClassNotFoundException(name);
        }

        @Override protected URL findResource(String name) {
            for (ClassLoader l : plugins.get()) {
                URL u = l.getResource(name);
                if (u != null) return u;
            }
            return null;
        }

        @Override protected Enumeration<URL> findResources(String name) throws IOException {
            // The plugins' loaders also answer with the application's resources; those come from the parent.
            List<URL> all = new ArrayList<>();
            List<URL> parents = getParent() == null ? List.of() : Collections.list(getParent().getResources(name));
            for (ClassLoader l : plugins.get()) {
                for (URL u : Collections.list(l.getResources(name))) if (!all.contains(u) && !parents.contains(u)) all.add(u);
            }
            return Collections.enumeration(all);
        }
    }

    @Override public String toString() {
        long started = manager.getPlugins().stream().filter(w -> w.getPluginState() == PluginState.STARTED).count();
        return "plugins from " + directory + ": " + started + " started, " + problems().size() + " with problems";
    }
}
