package io.drydock.shell;

import io.drydock.shell.plugin.PluginHost;
import io.drydock.shell.plugin.PluginStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/run loads only the plugins that provide the words its machine uses (PluginHost.loadFor). */
class PluginIndexTest {
    @TempDir Path dir;

    private static Set<String> started(PluginHost host) {
        return host.status().stream().filter(s -> s.state().equals("STARTED")).map(PluginStatus::id).collect(Collectors.toSet());
    }

    private void threePlugins() throws Exception {
        PluginJars.write(dir, PluginJars.fakeBoard());                       // provides the word "fakeboard"
        PluginJars.write(dir, new PluginJars.Spec("unrelated"));              // no word, no dependency
        PluginJars.write(dir, new PluginJars.Spec("addon").manifest("Plugin-Dependencies", "fakeboard@>=1.0.0"));
    }

    @Test void theFirstRunLoadsEverythingAndLaterRunsOnlyTheProviderItsDependenciesAndAddOns() throws Exception {
        threePlugins();
        assertEquals(Set.of("fakeboard", "unrelated", "addon"), started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"))));
        assertTrue(Files.isRegularFile(dir.resolve(".plugin-words")));

        PluginHost lean = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
        assertEquals(Set.of("fakeboard", "addon"), started(lean));
        assertEquals("fakeboard", lean.extensions(io.drydock.kernel.spi.MachineWord.class).getFirst().name());
        assertTrue(lean.problems().isEmpty());
    }

    private static List<String> extensionsOf(PluginHost host, String id) {
        return host.extensions(Object.class).stream().filter(e -> java.util.Objects.equals(id, host.pluginOf(e.getClass())))
                .map(e -> e.getClass().getName()).toList();
    }

    private static List<PluginStatus> statusOf(PluginHost host, Set<String> ids) {
        return host.status().stream().filter(s -> ids.contains(s.id())).toList();
    }

    /**
     * A run by the index takes each plugin's descriptor and extension index from the index, not the jar: the
     * same extensions in the same order, the same version, dependencies and Plugin-Requires, so a Drydock of
     * another version disables the same plugin with the same message as a full load would.
     */
    @Test void aRunByTheIndexSeesTheSameDescriptorsAndExtensionsAsAFullLoad() throws Exception {
        PluginJars.write(dir, PluginJars.fakeBoard().manifest("Plugin-Requires", ">=0.1.0")
                .manifest("Plugin-Description", "a board\twith a backslash \\ in its description")
                .manifest("Plugin-Provider", "Example").manifest("Plugin-License", "MIT"));
        PluginJars.write(dir, new PluginJars.Spec("unrelated"));
        PluginJars.write(dir, new PluginJars.Spec("addon").version("2.0.0-rc1").manifest("Plugin-Dependencies", "fakeboard@>=1.0.0"));
        PluginHost full = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
        assertTrue(full.problems().isEmpty());
        assertTrue(Files.readString(dir.resolve(".plugin-words")).contains("org.example.fakeboard.FakeCommand"));

        PluginHost lean = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
        assertEquals(Set.of("fakeboard", "addon"), started(lean));
        assertEquals(extensionsOf(full, "fakeboard"), extensionsOf(lean, "fakeboard"));
        assertEquals(3, extensionsOf(lean, "fakeboard").size());
        assertEquals(statusOf(full, Set.of("fakeboard", "addon")), statusOf(lean, Set.of("fakeboard", "addon")));

        PluginHost older = PluginHost.loadFor(dir, "0.0.9", List.of("fakeboard"));
        PluginStatus board = statusOf(older, Set.of("fakeboard")).getFirst();
        assertEquals("DISABLED", board.state());
        assertEquals("requires Drydock >=0.1.0, this is 0.0.9", board.problem());
        assertEquals(statusOf(PluginHost.load(dir, "0.0.9"), Set.of("fakeboard", "addon")),
                statusOf(older, Set.of("fakeboard", "addon")));
    }

    /**
     * scripts/run names the class-path entries that hold the application's extension index
     * (drydock.extensions.path); the plugin index keeps what they held, and is stale when they change or other
     * entries are named.
     */
    @Test void theApplicationsExtensionIndexIsKeptWhileItsJarsAreUnchanged(@TempDir Path lib) throws Exception {
        threePlugins();
        Path app = PluginJars.write(lib, new PluginJars.Spec("app").extensions("java.lang.Object"));
        Path other = PluginJars.write(lib, new PluginJars.Spec("other"));
        String was = System.getProperty("drydock.extensions.path");
        try {
            System.setProperty("drydock.extensions.path", app + java.io.File.pathSeparator + lib.resolve("missing.jar"));
            PluginHost full = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
            assertEquals(3, started(full).size());
            PluginHost lean = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
            assertEquals(2, started(lean).size());
            assertEquals(List.of("java.lang.Object"), extensionsOf(lean, null).stream().filter(n -> n.startsWith("java.")).toList());
            assertEquals(extensionsOf(full, null), extensionsOf(lean, null));

            Files.setLastModifiedTime(app, FileTime.fromMillis(Files.getLastModifiedTime(app).toMillis() + 5000));
            assertEquals(3, started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"))).size(), "changed application jar: full load");
            assertEquals(2, started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"))).size(), "index rewritten");

            System.setProperty("drydock.extensions.path", other.toString());
            PluginHost elsewhere = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
            assertEquals(3, started(elsewhere).size(), "other application entries: full load");
            assertTrue(extensionsOf(elsewhere, null).stream().noneMatch(n -> n.startsWith("java.")));
        } finally {
            if (was == null) System.clearProperty("drydock.extensions.path"); else System.setProperty("drydock.extensions.path", was);
        }
    }

    @Test void aChangedOrAddedJarMakesTheIndexStale() throws Exception {
        threePlugins();
        PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
        Path jar = dir.resolve("unrelated-1.0.0.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        assertEquals(3, started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"))).size(), "changed jar: full load");
        assertEquals(2, started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"))).size(), "index rewritten");

        PluginJars.write(dir, new PluginJars.Spec("newcomer"));
        assertTrue(started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"))).contains("newcomer"), "added jar: full load");
    }

    @Test void aWordNoPluginProvidesLoadsEverythingSoTheErrorCanListAllWords() throws Exception {
        threePlugins();
        PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
        assertEquals(3, started(PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard", "nosuchword"))).size());
    }

    @Test void aBrokenPluginIsReportedByEveryRunBecauseNoIndexIsWritten() throws Exception {
        threePlugins();
        Files.writeString(dir.resolve("broken.jar"), "not a zip");
        for (int i = 0; i < 2; i++) {
            PluginHost host = PluginHost.loadFor(dir, "0.1.0", List.of("fakeboard"));
            assertFalse(host.problems().isEmpty());
            assertEquals("broken.jar", host.problems().getFirst().id());
        }
        assertFalse(Files.exists(dir.resolve(".plugin-words")));
    }
}
