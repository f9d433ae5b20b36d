package io.drydock.shell.plugin;

import io.drydock.kernel.spi.MachineWord;
import org.pf4j.PluginDependency;
import org.pf4j.PluginWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which plugin of a directory provides which machine word, remembered from a full load so that
 * {@code scripts/run} loads only the plugins its machine uses. The index is the file {@value #FILE} in the
 * plugins directory; it holds each jar's name, size and modification time, and is believed only while the
 * directory holds exactly those jars, unchanged. A full load that found any problem writes no index, so a
 * broken plugin is always reported by the next run.
 *
 * <p>What is loaded for a set of words: the plugins providing them, their dependencies, and every add-on of
 * those (a plugin that provides no word of its own and whose dependencies are all loaded, like the DAX
 * window for virtio-fs).
 */
final class PluginIndex {
    static final String FILE = ".plugin-words";
    private static final String HEADER = "# drydock plugin index: jar size mtime id dependencies words";

    /** One plugin jar. */
    record Entry(String jar, long size, long mtime, String id, List<String> dependencies, List<String> words) {}

    private final Map<String, Entry> byJar;

    private PluginIndex(Map<String, Entry> byJar) { this.byJar = byJar; }

    /** The index of {@code dir}, or null when there is none or it no longer matches the jars there. */
    static PluginIndex read(Path dir) {
        Path file = dir.resolve(FILE);
        Map<String, Entry> entries = new TreeMap<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) return null;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f.length != 6) return null;
                entries.put(f[0], new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], list(f[4]), list(f[5])));
            }
            Map<String, long[]> jars = jars(dir);
            if (jars == null || !jars.keySet().equals(entries.keySet())) return null;
            for (Entry e : entries.values()) {
                long[] now = jars.get(e.jar());
                if (now[0] != e.size() || now[1] != e.mtime()) return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new PluginIndex(entries);
    }

    /**
     * Writes the index of a full load of {@code dir}; nothing when a plugin had a problem or the directory
     * holds anything but jars (PF4J also loads zips and directories; those are always loaded in full).
     */
    static void write(Path dir, List<PluginWrapper> started, Collection<MachineWord> words, PluginHost host) {
        try {
            Map<String, long[]> jars = jars(dir);
            if (jars == null || jars.size() != started.size()) return;
            List<String> out = new ArrayList<>(List.of(HEADER));
            for (PluginWrapper w : started) {
                String jar = w.getPluginPath().getFileName().toString();
                long[] stat = jars.get(jar);
                if (stat == null) return;
                List<String> mine = new ArrayList<>();
                for (MachineWord word : words) if (w.getPluginId().equals(host.pluginOf(word.getClass()))) mine.add(word.name());
                List<String> deps = w.getDescriptor().getDependencies().stream().map(PluginDependency::getPluginId).toList();
                out.add(String.join("\t", jar, Long.toString(stat[0]), Long.toString(stat[1]), w.getPluginId(),
                        String.join(",", deps), String.join(",", mine)));
            }
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            Files.write(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // an index is only a shortcut: without one every run loads every plugin
        }
    }

    /**
     * The jars to load for {@code words}, dependencies first; null when a word is not in the index (then
     * the caller loads everything, and reports the word as unknown with the full list).
     */
    List<Path> jarsFor(Path dir, Collection<String> words) {
        Map<String, Entry> byId = new TreeMap<>();
        for (Entry e : byJar.values()) byId.put(e.id(), e);
        Set<String> ids = new LinkedHashSet<>();
        for (String word : words) {
            Entry provider = byJar.values().stream().filter(e -> e.words().contains(word)).findFirst().orElse(null);
            if (provider == null) return null;
            if (!addWithDependencies(provider.id(), byId, ids, 0)) return null;
        }
        boolean grew = true;
        while (grew) { // add-ons of what is loaded
            grew = false;
            for (Entry e : byId.values()) {
                if (!ids.contains(e.id()) && e.words().isEmpty() && !e.dependencies().isEmpty() && ids.containsAll(e.dependencies())) {
                    ids.add(e.id());
                    grew = true;
                }
            }
        }
        return ids.stream().map(id -> dir.resolve(byId.get(id).jar())).toList();
    }

    private static boolean addWithDependencies(String id, Map<String, Entry> byId, Set<String> ids, int depth) {
        Entry e = byId.get(id);
        if (e == null || depth > byId.size()) return false;
        for (String d : e.dependencies()) if (!addWithDependencies(d, byId, ids, depth + 1)) return false;
        ids.add(id);
        return true;
    }

    /** name → {size, mtime} of every entry of {@code dir} except hidden files; null when one is not a jar. */
    private static Map<String, long[]> jars(Path dir) throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) continue;
                if (!name.endsWith(".jar") || !Files.isRegularFile(p)) return null;
                out.put(name, new long[]{Files.size(p), Files.getLastModifiedTime(p).toMillis()});
            }
        }
        return out;
    }

    private static List<String> list(String field) {
        return field.isEmpty() ? List.of() : List.of(field.split(","));
    }
}
