package io.drydock.shell.plugin;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.ExtensionWrapper;
import org.pf4j.LegacyExtensionFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.processor.LegacyExtensionStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Plugin jars that are also on the JVM's class path: {@code scripts/run} puts this repository's own plugin
 * jars there (scripts/lib/java.sh), so that their classes are the application class loader's. The JDK's
 * AOT cache (JEP 483) links lambdas, string concatenations and type switches ahead of time only for the
 * built-in class loaders; a class of a PF4J plugin loader had each of those spun at its first use, ~1 ms
 * apiece in a cold JVM, on the way to the first guest instruction (docs/startup.md, fourth pass).
 *
 * <p>Such a plugin is still a PF4J plugin (descriptor, dependencies, state, its own extension index, the
 * same words), only its loader asks the application class loader first. Every other plugin jar (a
 * third-party one, another plugins directory, {@code scripts/drydock}'s plugins) gets PF4J's own
 * plugin-first loader as before. A class-path plugin jar's extension index belongs to its plugin, never to
 * the application (PF4J would otherwise count it twice: once as the application's, once as the plugin's).
 */
final class ClassPathPlugins {
    private static final Logger log = LoggerFactory.getLogger(ClassPathPlugins.class);

    private final Set<Path> jars;

    private ClassPathPlugins(Set<Path> jars) { this.jars = jars; }

    /** The entries of {@code classPath} (java.class.path) that lie in one of {@code directories}. */
    static ClassPathPlugins of(String classPath, Iterable<Path> directories) {
        Set<Path> dirs = new HashSet<>();
        for (Path d : directories) dirs.add(normal(d));
        Set<Path> jars = new LinkedHashSet<>();
        for (String entry : classPath == null ? new String[0] : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path p = normal(Path.of(entry));
            if (p.getParent() != null && dirs.contains(p.getParent())) jars.add(p);
        }
        return new ClassPathPlugins(Set.copyOf(jars));
    }

    private static Path normal(Path p) { return p.toAbsolutePath().normalize(); }

    boolean isEmpty() { return jars.isEmpty(); }

    boolean contains(Path pluginPath) { return jars.contains(normal(pluginPath)); }

    /** The class-path jar a class of the application class loader came from, when it is one of these. */
    Path jarOf(Class<?> type) {
        if (jars.isEmpty() || type.getClassLoader() != ClassPathPlugins.class.getClassLoader()) return null;
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        try {
            Path p = normal(Path.of(source.getLocation().toURI()));
            return jars.contains(p) ? p : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** PF4J's loaders, except that a class-path plugin jar gets an application-first loader. */
    PluginLoader loader(PluginManager manager, PluginLoader pf4j) {
        return new PluginLoader() {
            @Override public boolean isApplicable(Path pluginPath) { return pf4j.isApplicable(pluginPath); }

            @Override public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
                if (!contains(pluginPath)) return pf4j.loadPlugin(pluginPath, descriptor);
                PluginClassLoader loader = new ApplicationFirst(manager, descriptor);
                loader.addFile(pluginPath.toFile());
                return loader;
            }
        };
    }

    /**
     * Classes from the application class loader first (the plugin's own are there too, so they are the
     * AOT cache's), then PF4J's order; resources from the plugin's jar first, as PF4J does, so that its
     * {@code META-INF/extensions.idx} is its own and not the first one on the class path.
     */
    private static final class ApplicationFirst extends PluginClassLoader {
        ApplicationFirst(PluginManager manager, PluginDescriptor descriptor) {
            super(manager, descriptor, ClassPathPlugins.class.getClassLoader(), ClassLoadingStrategy.PDA);
        }

        @Override public Class<?> loadClass(String name) throws ClassNotFoundException {
            try {
                return getParent().loadClass(name);
            } catch (ClassNotFoundException e) {
                return super.loadClass(name);
            }
        }
    }

    /**
     * PF4J's index finder, but the application's extensions leave out the class-path plugin jars' indexes:
     * those are read through each plugin's own loader, as for any plugin. When {@code drydock.extensions.path}
     * names the class-path entries that can hold the application's own index (scripts/run names Drydock's
     * jars), only those are read: the class loader's lookup opens every jar on the class path, and parsing
     * their central directories (interpreted, in a cold JVM) was 30-50 ms of a bare ELF's start. The plugins'
     * own indexes come from {@code indexed}, and the application's from {@code indexedApplication}, when they
     * answer (the plugin index, PluginIndex, which holds both as read from the same jars).
     */
    LegacyExtensionFinder extensionFinder(PluginManager manager, Supplier<Map<String, Set<String>>> indexed,
                                          Supplier<Set<String>> indexedApplication) {
        String only = applicationIndexPath();
        return new LegacyExtensionFinder(manager) {
            /** The plugins' extension indexes from the plugin index when the run was chosen by it, else PF4J's read. */
            @Override public Map<String, Set<String>> readPluginsStorages() {
                Map<String, Set<String>> known = indexed.get();
                return known != null ? known : super.readPluginsStorages();
            }

            /**
             * PF4J's lookup of one plugin's (or, for a null id, the application's) extensions of {@code type},
             * with each extension's annotation read only when its ordinal is needed ({@link OrdinalOnDemand}).
             * PF4J's own lookup still serves the cases where it reads annotations for another reason: checking
             * an extension's required plugins (some plugin has an optional dependency), and development mode.
             */
            @Override public <T> List<ExtensionWrapper<T>> find(Class<T> type, String pluginId) {
                if (isCheckForExtensionDependencies() || pluginManager.isDevelopment()) return super.find(type, pluginId);
                List<ExtensionWrapper<T>> found = new ArrayList<>();
                Set<String> names = findClassNames(pluginId);
                if (names.isEmpty()) return found;
                if (pluginId != null && pluginManager.getPlugin(pluginId).getPluginState() != PluginState.STARTED) return found;
                ClassLoader loader = pluginId == null ? getClass().getClassLoader() : pluginManager.getPluginClassLoader(pluginId);
                for (String name : names) {
                    try {
                        Class<?> c = loader.loadClass(name);
                        if (type.isAssignableFrom(c)) found.add(new OrdinalOnDemand<>(c, pluginManager.getExtensionFactory()));
                    } catch (ClassNotFoundException | NoClassDefFoundError e) {
                        log.error(e.getMessage(), e); // as PF4J's lookup reports an index entry it cannot load
                    }
                }
                Collections.sort(found); // by ordinal, stable, as PF4J sorts: no comparison, no annotation, for one
                return found;
            }

            @Override public Map<String, Set<String>> readClasspathStorages() {
                if (jars.isEmpty() && only == null) return super.readClasspathStorages();
                Set<String> bucket = new HashSet<>();
                Set<String> known = only == null ? null : indexedApplication.get();
                try {
                    if (known != null) {
                        bucket.addAll(known);
                    } else if (only != null) {
                        for (String entry : only.split(File.pathSeparator)) if (!entry.isEmpty()) readIndex(Path.of(entry), bucket);
                    } else {
                        Enumeration<URL> urls = ClassPathPlugins.class.getClassLoader().getResources(LegacyExtensionStorage.EXTENSIONS_RESOURCE);
                        while (urls.hasMoreElements()) {
                            URL url = urls.nextElement();
                            if (inPluginJar(url)) continue;
                            try (InputStream in = url.openStream()) {
                                read(in, bucket);
                            }
                        }
                    }
                } catch (IOException e) {
                    log.error("reading the application's extension indexes: {}", e.toString()); // as PF4J's own finder does
                }
                Map<String, Set<String>> result = new HashMap<>();
                result.put(null, bucket);
                return result;
            }
        };
    }

    /**
     * The class-path entries that can hold the application's own extension index, as scripts/run names them
     * (the system property {@code drydock.extensions.path}); null when not named (then the whole class path).
     */
    static String applicationIndexPath() {
        return System.getProperty("drydock.extensions.path");
    }

    /** Adds the extension index of one class-path entry (a jar or a directory; none there is fine) to {@code bucket}. */
    static void readIndex(Path entry, Set<String> bucket) throws IOException {
        if (Files.isDirectory(entry)) {
            Path index = entry.resolve(LegacyExtensionStorage.EXTENSIONS_RESOURCE);
            if (Files.isRegularFile(index)) try (InputStream in = Files.newInputStream(index)) { read(in, bucket); }
        } else if (Files.isRegularFile(entry)) {
            try (ZipFile zip = new ZipFile(entry.toFile())) {
                ZipEntry e = zip.getEntry(LegacyExtensionStorage.EXTENSIONS_RESOURCE);
                if (e != null) try (InputStream in = zip.getInputStream(e)) { read(in, bucket); }
            }
        }
    }

    private static void read(InputStream in, Set<String> bucket) throws IOException {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            LegacyExtensionStorage.read(r, bucket);
        }
    }

    /** Whether {@code url} is an entry of one of the class-path plugin jars ({@code jar:file:/…/x.jar!/entry}). */
    boolean inPluginJar(URL url) {
        if (!"jar".equals(url.getProtocol())) return false;
        String spec = url.getPath();
        int bang = spec.indexOf("!/");
        if (bang < 0) return false;
        try {
            return jars.contains(normal(Path.of(URI.create(spec.substring(0, bang)))));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
    }
}
