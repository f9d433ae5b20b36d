package io.drydock.shell;

import io.drydock.kernel.spi.MachineWord;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellCommand;
import io.drydock.shell.plugin.PluginHost;
import io.drydock.shell.plugin.PluginStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginHostTest {
    @TempDir Path dir;

    private static Map<String, PluginStatus> byId(PluginHost host) {
        return host.status().stream().collect(Collectors.toMap(PluginStatus::id, Function.identity()));
    }

    @Test void severalStartedPluginsStopCleanly() throws Exception {
        PluginJars.write(dir, PluginJars.fakeBoard());
        PluginJars.write(dir, new PluginJars.Spec("second"));
        PluginHost host = PluginHost.load(dir, "0.1.0");
        assertEquals("STARTED", byId(host).get("second").state());
        host.stop(); // PF4J's started list shrinks while we stop: must not throw
        assertTrue(host.status().stream().noneMatch(p -> p.state().equals("STARTED")), host.status().toString());
    }

    @Test void aPluginJarBuiltOnTheFlyIsFoundAndItsExtensionsUsed() throws Exception {
        PluginJars.write(dir, PluginJars.fakeBoard());
        PluginHost host = PluginHost.load(dir, "0.1.0");

        PluginStatus s = byId(host).get("fakeboard");
        assertEquals("STARTED", s.state());
        assertEquals("1.0.0", s.version());
        assertNull(s.problem());
        MachineWord word = host.extensions(MachineWord.class).getFirst();
        assertEquals("fakeboard", word.name());
        assertEquals("fakeboard", host.pluginOf(word.getClass()));
        assertEquals("fake", host.extensions(ShellCommand.class).getFirst().name());
        // the shell's class path contributes bindings of its own (bench); one comes from the plugin
        assertEquals(1, host.extensions(ScriptBinding.class).stream()
                .filter(b -> "fakeboard".equals(host.pluginOf(b.getClass()))).count());
        // cached: one instance per extension, not a new one per lookup
        assertSame(word, host.extensions(MachineWord.class).getFirst());
        // the session's class loader sees plugin classes
        assertNotNull(host.classLoader().loadClass("org.example.fakeboard.FakeBoardWord"));
    }

    @Test void brokenPluginsAreReportedByNameWithTheirReasonAndTheOthersStillLoad() throws Exception {
        PluginJars.write(dir, PluginJars.fakeBoard());
        PluginJars.garbage(dir, "broken.jar");
        PluginJars.write(dir, new PluginJars.Spec("noclass").manifest("Plugin-Class", "org.example.Nope"));
        PluginJars.write(dir, new PluginJars.Spec("onfire").sources("failing")
                .manifest("Plugin-Class", "org.example.failing.FailingPlugin"));
        PluginJars.write(dir, new PluginJars.Spec("future").manifest("Plugin-Requires", ">=99.0.0"));
        PluginJars.write(dir, new PluginJars.Spec("orphan").manifest("Plugin-Dependencies", "ghost"));
        java.nio.file.Files.write(dir.resolve("nodescriptor.jar"), emptyZip());
        PluginJars.write(dir, new PluginJars.Spec("halfway").sources("failing").extensions("org.example.Missing"));

        PluginHost host = PluginHost.load(dir, "0.1.0");
        Map<String, PluginStatus> all = byId(host);

        assertEquals("STARTED", all.get("fakeboard").state());
        assertTrue(all.get("fakeboard").ok());
        assertEquals("fakeboard", host.extensions(MachineWord.class).getFirst().name());

        PluginStatus broken = all.get("broken.jar");
        assertEquals("BROKEN", broken.state());
        assertEquals("not a jar or zip file", broken.problem());

        assertEquals("no plugin descriptor (META-INF/MANIFEST.MF with Plugin-Id, or plugin.properties)",
                all.get("nodescriptor.jar").problem());

        assertEquals("FAILED", all.get("noclass").state());
        assertTrue(all.get("noclass").problem().contains("Plugin-Class org.example.Nope cannot be loaded"), all.get("noclass").problem());

        assertEquals("FAILED", all.get("onfire").state());
        assertTrue(all.get("onfire").problem().contains("the device is on fire"), all.get("onfire").problem());

        assertEquals("DISABLED", all.get("future").state());
        assertEquals("requires Drydock >=99.0.0, this is 0.1.0", all.get("future").problem());

        assertEquals("UNRESOLVED", all.get("orphan").state());
        assertEquals("needs plugin 'ghost', which is not installed", all.get("orphan").problem());

        assertEquals("STARTED", all.get("halfway").state());
        assertTrue(all.get("halfway").problem().contains("org.example.Missing"), all.get("halfway").problem());

        assertEquals(7, host.problems().size(), host.problems().toString());
    }

    private static byte[] emptyZip() throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("no descriptor here".getBytes());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test void aSnapshotBuildMeetsTheReleaseItNamesAndTheMessageShowsTheVersionAsBuilt() throws Exception {
        PluginJars.write(dir, new PluginJars.Spec("current").manifest("Plugin-Requires", ">=0.1.0"));
        PluginJars.write(dir, new PluginJars.Spec("future").manifest("Plugin-Requires", ">=0.2.0"));
        Map<String, PluginStatus> all = byId(PluginHost.load(dir, "0.1.0-SNAPSHOT"));
        assertEquals("STARTED", all.get("current").state(), String.valueOf(all.get("current").problem()));
        assertEquals("DISABLED", all.get("future").state());
        assertEquals("requires Drydock >=0.2.0, this is 0.1.0-SNAPSHOT", all.get("future").problem());
    }

    @Test void aMissingDirectoryMeansNoPlugins() {
        PluginHost host = PluginHost.load(dir.resolve("nothing-here"), "0.1.0");
        assertTrue(host.status().isEmpty());
        assertTrue(host.extensions(MachineWord.class).isEmpty());
    }

    @Test void plainDependencyOnAnInstalledPluginResolves() throws Exception {
        PluginJars.write(dir, PluginJars.fakeBoard());
        PluginJars.write(dir, new PluginJars.Spec("addon").manifest("Plugin-Dependencies", "fakeboard@>=1.0.0"));
        Map<String, PluginStatus> all = byId(PluginHost.load(dir, "0.1.0"));
        assertEquals("STARTED", all.get("addon").state());
        assertTrue(all.get("addon").ok());
    }

    @Test void aPluginsExtensionsOfOnePointComeSortedByTheirAnnotationsOrdinal() throws Exception {
        // index order later (ordinal 2), sooner (1), plain (no annotation: 0); the annotations are read only to sort
        PluginJars.write(dir, new PluginJars.Spec("ordered").sources("ordered")
                .extensions("org.example.ordered.Later", "org.example.ordered.Sooner", "org.example.ordered.Plain"));
        PluginHost host = PluginHost.load(dir, "0.1.0");
        assertEquals(List.of("plain", "sooner", "later"), host.extensions(ShellCommand.class).stream()
                .filter(c -> "ordered".equals(host.pluginOf(c.getClass()))).map(ShellCommand::name).toList());
    }
}
