package io.drydock.shell;

import groovy.lang.GroovySystem;
import groovy.lang.MetaMethod;
import org.codehaus.groovy.reflection.CachedClass;
import org.codehaus.groovy.reflection.ClassInfo;
import org.codehaus.groovy.runtime.m12n.ExtensionModuleScanner;
import org.codehaus.groovy.runtime.metaclass.MetaClassRegistryImpl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Registers the Groovy extension modules that plugins carry ({@code META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule},
 * e.g. size units such as {@code 256.MiB}). Groovy scans for them only in the class path it starts with;
 * plugin jars come later in their own class loaders, so they are added to the running meta-class
 * registry here, the way {@code @Grab} adds the modules of grabbed jars.
 */
final class GroovyExtensionModules {
    private GroovyExtensionModules() {}

    static void register(List<ClassLoader> pluginLoaders, Consumer<String> problems) {
        if (pluginLoaders.isEmpty()) return;
        ClassLoader app = GroovyExtensionModules.class.getClassLoader();
        MetaClassRegistryImpl registry = (MetaClassRegistryImpl) GroovySystem.getMetaClassRegistry();
        for (ClassLoader loader : pluginLoaders) {
            for (String file : List.of(ExtensionModuleScanner.MODULE_META_INF_FILE, ExtensionModuleScanner.LEGACY_MODULE_META_INF_FILE)) {
                try {
                    Set<URL> own = new HashSet<>(Collections.list(loader.getResources(file)));
                    own.removeAll(Collections.list(app.getResources(file))); // the application's are registered already
                    for (URL url : own) registerOne(registry, url, loader);
                } catch (IOException | RuntimeException | LinkageError e) {
                    problems.accept("Groovy extension module in " + loader + " failed: " + e);
                }
            }
        }
    }

    private static void registerOne(MetaClassRegistryImpl registry, URL url, ClassLoader loader) throws IOException {
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        String name = p.getProperty("moduleName");
        if (name == null || registry.getModuleRegistry().hasModule(name)) return;
        Map<CachedClass, List<MetaMethod>> added = new HashMap<>();
        registry.registerExtensionModuleFromProperties(p, loader, added);
        // Classes whose meta-class exists already must learn the new methods, subclasses included
        // (the receiver of 256.MiB is an Integer, the module may extend Number).
        added.forEach((cached, methods) -> {
            Set<CachedClass> targets = new HashSet<>();
            targets.add(cached);
            ClassInfo.onAllClassInfo(info -> {
                if (cached.getTheClass().isAssignableFrom(info.getCachedClass().getTheClass())) targets.add(info.getCachedClass());
            });
            targets.forEach(c -> c.addNewMopMethods(methods));
        });
    }
}
