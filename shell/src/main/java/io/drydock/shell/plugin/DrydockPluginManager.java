package io.drydock.shell.plugin;

import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultPluginFactory;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultExtensionFinder;
import org.pf4j.DependencyResolver;
import org.pf4j.ExtensionFinder;
import org.pf4j.ExtensionWrapper;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.Plugin;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;

import java.lang.reflect.Modifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;

/**
 * PF4J's default manager (jar and zip plugins, manifest or properties descriptors, the extension index),
 * changed in one respect: nothing a single plugin does wrong stops the others. PF4J logs a bad jar and
 * moves on, but it aborts the whole load for one missing dependency and throws from
 * {@code getExtensions} when one extension cannot be instantiated; here each such problem is recorded
 * against the plugin (or file) that caused it, for {@code :plugins} and the startup report.
 *
 * <p>Used on the thread that builds the shell; the lookups afterwards are read-only.
 */
final class DrydockPluginManager extends DefaultPluginManager {
    /** Problems by plugin id (or file name, when no id could be read), in the order found. */
    private final Map<String, PluginStatus> broken = new LinkedHashMap<>();
    /** Extensions that failed to load, by plugin id: "org.x.Word: NoClassDefFoundError: org/y/Z". */
    private final Map<String, List<String>> extensionProblems = new LinkedHashMap<>();

    /**
     * The plugin jars on the class path (scripts/run's), found from PF4J's constructor, which creates the loader
     * and the extension finder before this class's fields are set: no initializer here, or it would reset it.
     */
    private ClassPathPlugins classPath;

    /** The plugin index the loaded jars were chosen by ({@link #restrictTo}); null for a full load. */
    private PluginIndex index;

    /** Drydock's version as given (shown in messages), e.g. 0.1.0-SNAPSHOT. */
    private final String drydockVersion;

    DrydockPluginManager(List<Path> roots, String drydockVersion) {
        super(roots);
        this.drydockVersion = drydockVersion;
        setSystemVersion(requirementVersion(drydockVersion));
    }

    /**
     * The one rule for {@code Plugin-Requires}: a plugin's requirement is checked against Drydock's version
     * without its qualifier. By SemVer 0.1.0-SNAPSHOT precedes 0.1.0, so a plugin written for
     * {@code >=0.1.0} would otherwise be refused by the very build it was written against.
     */
    static String requirementVersion(String drydockVersion) {
        return drydockVersion.replaceFirst("[-+].*$", "");
    }

    String drydockVersion() { return drydockVersion; }

    /**
     * PF4J's repositories of the plugins directory (development, jar and zip), made at the first lookup: a run
     * that names its jars ({@link #restrictTo}) never builds them (2-3 ms of interpreted PF4J code, cold).
     */
    @Override protected PluginRepository createPluginRepository() {
        return new PluginRepository() {
            private PluginRepository pf4j;

            private PluginRepository pf4j() {
                if (pf4j == null) pf4j = DrydockPluginManager.super.createPluginRepository();
                return pf4j;
            }

            @Override public List<Path> getPluginPaths() { return pf4j().getPluginPaths(); }

            @Override public boolean deletePluginPath(Path pluginPath) { return pf4j().deletePluginPath(pluginPath); }
        };
    }

    /**
     * From now on {@link #loadPlugins()} loads only {@code jars} (in that order), not the whole directory, and
     * takes their descriptors and extension indexes from {@code index} (PluginIndex) instead of the jars.
     */
    void restrictTo(List<Path> jars, PluginIndex index) {
        this.index = index;
        List<Path> only = List.copyOf(jars);
        pluginRepository = new PluginRepository() {
            @Override public List<Path> getPluginPaths() { return only; }

            @Override public boolean deletePluginPath(Path pluginPath) { return false; }
        };
    }

    Map<String, PluginStatus> broken() { return broken; }

    /**
     * The plugin jars also on the class path: those in a plugins root, or in the installation's build/plugins
     * (scripts/run's class path holds them whatever --plugins says; their indexes are never the application's).
     */
    private ClassPathPlugins classPath() {
        if (classPath == null) {
            List<Path> dirs = new ArrayList<>(getPluginsRoots());
            String home = System.getProperty("drydock.home");
            if (home != null) dirs.add(Path.of(home, "build", "plugins"));
            classPath = ClassPathPlugins.of(System.getProperty("java.class.path"), dirs);
        }
        return classPath;
    }

    @Override protected PluginLoader createPluginLoader() {
        return classPath().loader(this, super.createPluginLoader());
    }

    @Override protected ExtensionFinder createExtensionFinder() {
        DefaultExtensionFinder finder = new DefaultExtensionFinder(this) {
            { finders.clear(); add(classPath().extensionFinder(DrydockPluginManager.this,
                    DrydockPluginManager.this::indexedExtensions, DrydockPluginManager.this::indexedApplicationExtensions)); }
        };
        addPluginStateListener(finder);
        return finder;
    }

    /**
     * Each loaded plugin's extension class names by plugin id, in PF4J's order, from the plugin index; null
     * when a plugin is not in it (a full load: then PF4J reads each plugin's {@code META-INF/extensions.idx}).
     */
    Map<String, Set<String>> indexedExtensions() {
        if (index == null) return null;
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (PluginWrapper w : getPlugins()) {
            PluginIndex.Entry e = index.entryOf(w.getPluginPath());
            if (e == null || !e.id().equals(w.getPluginId())) return null;
            out.put(w.getPluginId(), new HashSet<>(e.extensions()));
        }
        return out;
    }

    /** The application's extension class names from the plugin index; null for a full load. */
    Set<String> indexedApplicationExtensions() {
        return index == null ? null : index.application();
    }

    /** PF4J answers by class loader; a class-path plugin's classes are the application loader's, so by jar. */
    @Override public PluginWrapper whichPlugin(Class<?> type) {
        PluginWrapper w = super.whichPlugin(type);
        Path jar = w == null ? classPath().jarOf(type) : null;
        if (jar == null) return w;
        for (PluginWrapper p : getResolvedPlugins()) {
            if (classPath().contains(p.getPluginPath()) && p.getPluginPath().toAbsolutePath().normalize().equals(jar)) return p;
        }
        return null;
    }

    Map<String, List<String>> extensionProblems() { return extensionProblems; }

    @Override protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            return super.loadPluginFromPath(pluginPath);
        } catch (RuntimeException | LinkageError e) {
            String file = pluginPath.getFileName().toString();
            broken.put(file, new PluginStatus(file, "?", "BROKEN", pluginPath.toString(), whyBroken(pluginPath, e)));
            return null;
        }
    }

    /** PF4J's "No PluginDescriptorFinder for plugin '/long/path'" does not say what is wrong; this does. */
    private static String whyBroken(Path path, Throwable e) {
        if (Files.isRegularFile(path)) {
            try (ZipFile zip = new ZipFile(path.toFile())) {
                boolean manifest = zip.getEntry("META-INF/MANIFEST.MF") != null;
                boolean properties = zip.getEntry("plugin.properties") != null;
                if (!manifest && !properties) return "no plugin descriptor (META-INF/MANIFEST.MF with Plugin-Id, or plugin.properties)";
            } catch (IOException notAZip) {
                return "not a jar or zip file";
            }
        }
        String reason = PluginHost.reason(e);
        return reason.replace(path.toString(), path.getFileName().toString());
    }

    /**
     * Resolves the dependency graph, dropping (and recording) each plugin whose dependency is missing or of
     * the wrong version instead of failing the whole load as PF4J does by default.
     */
    @Override protected DependencyResolver.Result resolveDependencies() {
        while (true) {
            List<PluginDescriptor> descriptors = plugins.values().stream().map(PluginWrapper::getDescriptor).toList();
            DependencyResolver.Result result = dependencyResolver.resolve(descriptors);
            if (result.isOK()) return result;
            Map<String, String> drop = new LinkedHashMap<>();
            if (result.hasCyclicDependency()) {
                for (PluginDescriptor d : descriptors) {
                    if (!d.getDependencies().isEmpty()) drop.put(d.getPluginId(), "takes part in a dependency cycle");
                }
            }
            for (String missing : result.getNotFoundDependencies()) {
                for (String dependent : dependencyResolver.getDependents(missing)) {
                    drop.putIfAbsent(dependent, "needs plugin '" + missing + "', which is not installed");
                }
            }
            for (DependencyResolver.WrongDependencyVersion w : result.getWrongVersionDependencies()) {
                drop.putIfAbsent(w.getDependentId(), "needs plugin '" + w.getDependencyId() + "' "
                        + w.getRequiredVersion() + ", found " + w.getExistingVersion());
            }
            if (drop.isEmpty()) return result; // nothing we know how to repair; let PF4J decide
            drop.forEach((id, why) -> {
                PluginWrapper w = plugins.get(id);
                if (w == null) return;
                broken.put(id, new PluginStatus(id, w.getDescriptor().getVersion(), "UNRESOLVED",
                        w.getPluginPath().toString(), why));
                unloadPlugin(id, false, false);
            });
        }
    }

    /**
     * PF4J's finders in PF4J's order (plugin.properties, then the manifest), but the properties finder takes a
     * jar only when it has a plugin.properties entry. PF4J's own test was only "a jar", and for a jar without
     * one it opened the whole jar as a zip file system to find out: about 10-20 ms of a cold scripts/run per
     * plugin, for jars that describe themselves in their manifest (this repository's and the template's).
     * Which descriptor a jar gets is unchanged.
     */
    @Override protected PluginDescriptorFinder createPluginDescriptorFinder() {
        PluginDescriptorFinder pf4j = new CompoundPluginDescriptorFinder()
                .add(new PropertiesPluginDescriptorFinder() {
                    @Override public boolean isApplicable(Path pluginPath) {
                        return super.isApplicable(pluginPath)
                                && (Files.isDirectory(pluginPath) || hasEntry(pluginPath, propertiesFileName));
                    }
                })
                .add(new ManifestPluginDescriptorFinder());
        return new PluginDescriptorFinder() { // a jar chosen by the plugin index: its descriptor as indexed
            @Override public boolean isApplicable(Path pluginPath) { return indexed(pluginPath) != null || pf4j.isApplicable(pluginPath); }

            @Override public PluginDescriptor find(Path pluginPath) {
                PluginIndex.Entry e = indexed(pluginPath);
                return e != null ? e.descriptor() : pf4j.find(pluginPath);
            }
        };
    }

    private PluginIndex.Entry indexed(Path pluginPath) {
        return index == null ? null : index.entryOf(pluginPath);
    }

    /** Whether the zip or jar file has an entry {@code name}; false when it cannot be read as one. */
    private static boolean hasEntry(Path zip, String name) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getEntry(name) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A plugin factory that says why a plugin class cannot be used, instead of logging and returning null. */
    @Override protected PluginFactory createPluginFactory() {
        return new DefaultPluginFactory() {
            @Override public Plugin create(PluginWrapper wrapper) {
                String name = wrapper.getDescriptor().getPluginClass();
                Class<?> type;
                try {
                    type = wrapper.getPluginClassLoader().loadClass(name);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new PluginRuntimeException("Plugin-Class " + name + " cannot be loaded: " + e);
                }
                if (Modifier.isAbstract(type.getModifiers()) || !Plugin.class.isAssignableFrom(type)) {
                    throw new PluginRuntimeException("Plugin-Class " + name + " is not a concrete org.pf4j.Plugin");
                }
                // PF4J's own class (a manifest with an empty Plugin-Class, as this repository's plugins have):
                // what the reflective path below makes of it, its PluginWrapper constructor, called directly;
                // reflection spins a constructor accessor in a cold JVM (a generated class; docs/startup.md)
                if (type == Plugin.class) return newPf4jPlugin(wrapper);
                try {
                    try {
                        return (Plugin) type.getConstructor(PluginWrapper.class).newInstance(wrapper);
                    } catch (NoSuchMethodException e) {
                        return (Plugin) type.getConstructor().newInstance();
                    }
                } catch (ReflectiveOperationException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    throw new PluginRuntimeException(cause, "Plugin-Class " + name + " cannot be created: " + cause);
                }
            }
        };
    }

    /** {@code new Plugin(wrapper)}: PF4J deprecates the constructor for subclasses, but it is the one the factory picks. */
    @SuppressWarnings("deprecation")
    private static Plugin newPf4jPlugin(PluginWrapper wrapper) {
        return new Plugin(wrapper);
    }

    /**
     * Loads (without initialising) every class a started plugin's extension index names, recording those
     * that are missing: PF4J would only log them, and the extension would silently not exist.
     */
    void checkExtensionClasses() {
        for (PluginWrapper w : getStartedPlugins()) {
            for (String name : getExtensionClassNames(w.getPluginId())) {
                try {
                    Class.forName(name, false, w.getPluginClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    extensionProblems.computeIfAbsent(w.getPluginId(), k -> new ArrayList<>())
                            .add(name + ": " + PluginHost.reason(e));
                }
            }
        }
    }

    /**
     * Every extension of {@code type}: the application's own first, then each started plugin's, sorted by
     * ordinal within each. An extension that cannot be instantiated is skipped and recorded.
     */
    <T> List<T> safeExtensions(Class<T> type) {
        List<T> out = new ArrayList<>();
        List<ExtensionWrapper<T>> wrappers;
        try {
            wrappers = extensionFinder.find(type);
        } catch (RuntimeException | LinkageError e) {
            extensionProblems.computeIfAbsent("(application)", k -> new ArrayList<>())
                    .add(type.getSimpleName() + ": " + PluginHost.reason(e));
            return out;
        }
        for (ExtensionWrapper<T> w : wrappers) {
            try {
                out.add(w.getExtension());
            } catch (RuntimeException | LinkageError e) {
                Class<?> cls = w.getDescriptor().extensionClass; // here only: the descriptor reads the annotation (OrdinalOnDemand)
                PluginWrapper p = whichPlugin(cls);
                String id = p == null ? "(application)" : p.getPluginId();
                List<String> list = extensionProblems.computeIfAbsent(id, k -> new ArrayList<>());
                String line = cls.getName() + ": " + PluginHost.reason(e);
                if (!list.contains(line)) list.add(line);
            }
        }
        return out;
    }
}
