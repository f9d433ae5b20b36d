package io.drydock.shell.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassPathPluginsTest {
    /** A class of the test's class path, copied into plugin jars below. */
    public static final class Probe {}

    private static final String PROBE = Probe.class.getName();
    private static final PluginDescriptor DESCRIPTOR = new DefaultPluginDescriptor("probe", "", "", "1.0.0", "", "", "");

    /** A plugin jar holding a copy of Probe and an extension index naming it. */
    private static Path jar(Path dir, String name) throws Exception {
        Path jar = dir.resolve(name);
        String entry = PROBE.replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             InputStream probe = Probe.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            probe.transferTo(j);
            j.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            j.write((PROBE + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    @Test void onlyClassPathEntriesInAPluginsDirectoryCount(@TempDir Path dir) {
        Path plugins = dir.resolve("plugins");
        String cp = String.join(java.io.File.pathSeparator, dir.resolve("lib/kernel.jar").toString(),
                plugins.resolve("cpu-0.1.0.jar").toString(), plugins.resolve("../plugins/pci-0.1.0.jar").toString(), "");
        ClassPathPlugins c = ClassPathPlugins.of(cp, List.of(plugins));
        assertTrue(c.contains(plugins.resolve("cpu-0.1.0.jar")));
        assertTrue(c.contains(plugins.resolve("pci-0.1.0.jar")), "the entry is normalised");
        assertFalse(c.contains(dir.resolve("lib/kernel.jar")));
        assertTrue(ClassPathPlugins.of(cp, List.of(dir.resolve("elsewhere"))).isEmpty());
    }

    @Test void aClassPathPluginsClassesAreTheApplicationLoadersAndItsResourcesItsOwn(@TempDir Path dir) throws Exception {
        Path onPath = jar(dir, "cpu-0.1.0.jar");
        Path thirdParty = jar(dir, "mailbox-1.0.0.jar");
        ClassPathPlugins c = ClassPathPlugins.of(onPath.toString(), List.of(dir));
        PluginLoader loader = c.loader(null, new JarPluginLoader(null));

        ClassLoader own = loader.loadPlugin(onPath, DESCRIPTOR);
        assertSame(Probe.class, own.loadClass(PROBE), "a class-path plugin's class comes from the application loader");
        URL index = own.getResource("META-INF/extensions.idx");
        assertTrue(index.toString().contains("cpu-0.1.0.jar!"), "its extension index is its own jar's: " + index);

        ClassLoader other = loader.loadPlugin(thirdParty, DESCRIPTOR);
        Class<?> copy = other.loadClass(PROBE);
        assertNotSame(Probe.class, copy, "any other plugin jar keeps PF4J's plugin-first loader");
        assertSame(other, copy.getClassLoader());
        assertNull(c.jarOf(copy), "not the application loader's");
        assertNull(c.jarOf(Probe.class), "the application's own class, from no plugin jar");
        ((AutoCloseable) own).close();
        ((AutoCloseable) other).close();
    }

    @Test void anIndexInAClassPathPluginJarIsNotTheApplications(@TempDir Path dir) throws Exception {
        Path onPath = jar(dir, "cpu-0.1.0.jar");
        Path thirdParty = jar(dir, "mailbox-1.0.0.jar");
        ClassPathPlugins c = ClassPathPlugins.of(onPath.toString(), List.of(dir));
        assertTrue(c.inPluginJar(java.net.URI.create("jar:" + onPath.toUri() + "!/META-INF/extensions.idx").toURL()));
        assertFalse(c.inPluginJar(java.net.URI.create("jar:" + thirdParty.toUri() + "!/META-INF/extensions.idx").toURL()));
        assertFalse(c.inPluginJar(dir.resolve("META-INF/extensions.idx").toUri().toURL()), "a directory entry");
    }

    @Test void anIndexIsReadFromAJarOrADirectoryAndNoneIsNothing(@TempDir Path dir) throws Exception {
        java.util.Set<String> bucket = new java.util.HashSet<>();
        ClassPathPlugins.readIndex(jar(dir, "drydock-kernel-0.1.0.jar"), bucket);
        assertEquals(java.util.Set.of(PROBE), bucket);
        Path classes = Files.createDirectories(dir.resolve("classes/META-INF"));
        Files.writeString(classes.resolve("extensions.idx"), "# Generated by PF4J\norg.example.Word\n");
        ClassPathPlugins.readIndex(dir.resolve("classes"), bucket);
        ClassPathPlugins.readIndex(dir.resolve("missing.jar"), bucket);
        assertEquals(java.util.Set.of(PROBE, "org.example.Word"), bucket);
    }
}
