package io.drydock.shell.plugin;

import io.drydock.kernel.spi.MachineWord;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which plugin of a directory provides which machine word, remembered from a full load so that
 * {@code scripts/run} loads only the plugins its machine uses. The index is the file {@value #FILE} in the
 * plugins directory; it holds each jar's name, size and modification time, and is believed only while the
 * directory holds exactly those jars, unchanged. A full load that found any problem writes no index, so a
 * broken plugin is always reported by the next run.
 *
 * <p>It also holds what PF4J read from each jar: the plugin descriptor (from plugin.properties or the
 * manifest) and the plugin's extension index ({@code META-INF/extensions.idx}). A run that loads by the index
 * takes both from here, so it does not open a plugin jar for them: PF4J opened each jar three times (the
 * properties finder's test, the manifest, the extension index through the plugin's loader), 2-5 ms apiece in a
 * cold JVM (docs/startup.md, sixth pass, continued); a class-path plugin's classes come from the AOT cache.
 * When the application's own extension indexes are read from named class-path entries
 * ({@code drydock.extensions.path}, scripts/run), the index also holds those entries' sizes, modification
 * times and extension class names, and is believed only while they too are unchanged.
 *
 * <p>What is loaded for a set of words: the plugins providing them, their dependencies, and every add-on of
 * those (a plugin that provides no word of its own and whose dependencies are all loaded, like the DAX
 * window for virtio-fs).
 */
final class PluginIndex {
    static final String FILE = ".plugin-words";
    private static final String HEADER = "# drydock plugin index 2: jar size mtime id dependencies words"
            + " | description class version requires provider license dependency-specs extensions";
    private static final int FIELDS = 14;
    /** A field that was null (fields are escaped, so no real value reads so). */
    private static final String NULL = "\\-";
    /** The first field of the line of the application's extensions (no jar is named so: a jar's name ends in .jar). */
    private static final String APPLICATION = "@application";

    /**
     * One plugin jar: {@code descriptor} is a copy of the one PF4J read, {@code extensions} the class names of its
     * extension index (in a HashSet, as PF4J's own lookup collects them).
     */
    record Entry(String jar, long size, long mtime, String id, List<String> dependencies, List<String> words,
                 PluginDescriptor descriptor, Set<String> extensions) {}

    private final Map<String, Entry> byJar;
    /** The application's extension class names read from {@code applicationPath}; null when that was not given. */
    private final Set<String> application;

    private PluginIndex(Map<String, Entry> byJar, Set<String> application) {
        this.byJar = byJar;
        this.application = application;
    }

    /**
     * The index of {@code dir}, or null when there is none or it no longer matches the jars there; with an
     * {@code applicationPath} (the class-path entries that hold the application's extension indexes), also
     * null when the index was not written with the same entries or they changed since.
     */
    static PluginIndex read(Path dir, String applicationPath) {
        Path file = dir.resolve(FILE);
        Map<String, Entry> entries = new TreeMap<>();
        Set<String> application = null;
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) return null;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f[0].equals(APPLICATION)) { // path, stamps, extensions
                    if (f.length != 4) return null;
                    if (f[1].equals(applicationPath) && f[2].equals(stamps(applicationPath))) application = new HashSet<>(list(f[3]));
                    continue;
                }
                if (f.length != FIELDS) return null;
                entries.put(f[0], new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], list(f[4]), list(f[5]),
                        descriptor(f), new HashSet<>(list(f[13]))));
            }
            Map<String, long[]> jars = jars(dir);
            if (jars == null || !jars.keySet().equals(entries.keySet())) return null;
            for (Entry e : entries.values()) {
                long[] now = jars.get(e.jar());
                if (now[0] != e.size() || now[1] != e.mtime()) return null;
            }
            if (applicationPath != null && application == null) return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new PluginIndex(entries, application);
    }

    /** The application's extension class names, as read from the class-path entries given to {@link #read}; else null. */
    Set<String> application() { return application; }

    /**
     * Size and modification time of each entry of {@code path} (for a directory, of the extension index in it;
     * -1 for what does not exist), e.g. {@code 5120:1796606246654,-1:-1}.
     */
    private static String stamps(String path) throws IOException {
        List<String> out = new ArrayList<>();
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) p = p.resolve(org.pf4j.processor.LegacyExtensionStorage.EXTENSIONS_RESOURCE);
            out.add(Files.isRegularFile(p) ? Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis() : "-1:-1");
        }
        return String.join(",", out);
    }

    /**
     * Writes the index of a full load of {@code dir}; nothing when a plugin had a problem or the directory
     * holds anything but jars (PF4J also loads zips and directories; those are always loaded in full).
     */
    static void write(Path dir, List<PluginWrapper> started, Collection<MachineWord> words, PluginHost host,
                      Function<String, Set<String>> extensionsOf, String applicationPath) {
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
                PluginDescriptor d = w.getDescriptor();
                List<String> deps = d.getDependencies().stream().map(PluginDependency::getPluginId).toList();
                List<String> specs = new ArrayList<>();
                for (PluginDependency p : d.getDependencies()) {
                    specs.add(p.getPluginId() + (p.isOptional() ? "?" : "") + "@" + p.getPluginVersionSupport());
                }
                out.add(String.join("\t", jar, Long.toString(stat[0]), Long.toString(stat[1]), w.getPluginId(),
                        String.join(",", deps), String.join(",", mine),
                        escape(d.getPluginDescription()), escape(d.getPluginClass()), escape(d.getVersion()),
                        escape(d.getRequires()), escape(d.getProvider()), escape(d.getLicense()),
                        escape(String.join(",", specs)), String.join(",", extensionsOf.apply(w.getPluginId()))));
            }
            if (applicationPath != null) {
                out.add(String.join("\t", APPLICATION, applicationPath, stamps(applicationPath),
                        String.join(",", extensionsOf.apply(null))));
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

    /** The indexed descriptor of {@code jar} (a path in the indexed directory), or null when it is not indexed. */
    Entry entryOf(Path jar) {
        Path name = jar.getFileName();
        return name == null ? null : byJar.get(name.toString());
    }

    /** The descriptor of an index line, as PF4J's finders made it (a plugin id, a dependency spec never holds a comma). */
    private static PluginDescriptor descriptor(String[] f) {
        DefaultPluginDescriptor d = new DefaultPluginDescriptor(f[3], unescape(f[6]), unescape(f[7]), unescape(f[8]),
                unescape(f[9]), unescape(f[10]), unescape(f[11]));
        for (String spec : list(unescape(f[12]))) d.addDependency(new PluginDependency(spec));
        return d;
    }

    /** A descriptor field on one line of the index: backslash, tab, CR and LF escaped; null as {@value #NULL}. */
    static String escape(String s) {
        if (s == null) return NULL;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.equals(NULL)) return null;
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) { b.append(c); continue; }
            char e = s.charAt(++i);
            b.append(switch (e) { case 't' -> '\t'; case 'n' -> '\n'; case 'r' -> '\r'; default -> e; });
        }
        return b.toString();
    }

    private static List<String> list(String field) {
        return field.isEmpty() ? List.of() : List.of(field.split(","));
    }
}
