package io.drydock.shell.repl;

import groovy.lang.MetaClass;
import groovy.lang.MetaMethod;
import groovy.lang.MetaProperty;
import io.drydock.kernel.spi.ShellCommand;
import io.drydock.shell.Session;
import io.drydock.shell.dsl.MachineDsl;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tab completion: colon commands and their arguments (each command's own {@link ShellCommand#complete},
 * file names for FILE arguments), then for Groovy code the session's variables, the machine DSL's words
 * and functions, keywords, and after a dot the members of the expression before it: of a variable's value
 * and its chain of properties, and from a call on of the call's declared return type ({@link ReceiverTypes}:
 * {@code m.console().}, {@code hart(0).}, {@code 'x'.}); nothing with parentheses is evaluated.
 *
 * <p>Called by JLine on the reading thread while no evaluation runs.
 */
final class ReplCompleter implements Completer {
    private static final List<String> KEYWORDS = List.of("def", "var", "if", "else", "for", "while", "return",
            "new", "import", "class", "true", "false", "null", "try", "catch", "finally", "throw", "switch", "case");
    private static final Set<String> HIDDEN_METHODS = Set.of("wait", "notify", "notifyAll", "getMetaClass",
            "setMetaClass", "invokeMethod", "getProperty", "setProperty", "methodMissing", "propertyMissing");

    private final Session session;

    ReplCompleter(Session session) { this.session = session; }

    @Override public void complete(LineReader reader, ParsedLine parsed, List<Candidate> out) {
        if (!(parsed instanceof ReplParser.Line line)) return;
        if (line.line().stripLeading().startsWith(":")) completeCommand(line, out);
        else completeGroovy(line, out);
    }

    private void completeCommand(ReplParser.Line line, List<Candidate> out) {
        if (line.wordIndex() == 0) {
            for (ShellCommand c : session.commands().values()) {
                out.add(new Candidate(":" + c.name(), ":" + c.name(), "commands", c.description(), null, null, true));
            }
            return;
        }
        ShellCommand cmd = session.commands().get(line.words().getFirst().substring(1));
        if (cmd == null) return;
        List<String> before = line.words().subList(1, line.wordIndex());
        List<String> values;
        try {
            values = cmd.complete(session, List.copyOf(before));
        } catch (RuntimeException e) {
            values = List.of(); // a plugin's completer failing must not break the prompt
        }
        for (String v : values) out.add(new Candidate(v));
        if (values.isEmpty() && cmd.usage().contains("FILE")) completePath(line.word(), out);
    }

    /** File names for a partly typed path ("scr" → "scripts/"); directories do not end the word. */
    static void completePath(String typed, List<Candidate> out) {
        int slash = typed.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : typed.substring(0, slash + 1);
        Path dir = Path.of(dirPart.isEmpty() ? "." : dirPart);
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                boolean isDir = Files.isDirectory(p);
                out.add(new Candidate(dirPart + name + (isDir ? "/" : ""), name + (isDir ? "/" : ""), null, null,
                        null, null, !isDir));
            }
        } catch (IOException e) {
            // an unreadable directory has nothing to offer
        }
    }

    private void completeGroovy(ReplParser.Line line, List<Candidate> out) {
        if (line.before().endsWith(".") && !line.before().endsWith("..")) {
            ReceiverTypes.Receiver r = new ReceiverTypes(session::variable).resolve(line.before());
            if (r != null && r.value() != null) members(r.value(), out);
            else if (r != null) members(r.type(), out);
            return; // after a dot only members make sense, never the globals
        }
        for (String v : session.variableNames()) {
            if (!v.equals("out")) out.add(new Candidate(v, v, "variables", null, null, null, true));
        }
        for (String w : session.dsl().allWords()) {
            String help = MachineDsl.KERNEL_WORDS.containsKey(w) ? MachineDsl.KERNEL_WORDS.get(w)
                    : session.dsl().words().get(w).help();
            out.add(new Candidate(w, w, "machine words", help, null, null, true));
        }
        for (String f : List.of("machine", "machineSpec", "println")) {
            out.add(new Candidate(f, f, "functions", null, null, null, true));
        }
        for (String k : KEYWORDS) out.add(new Candidate(k, k, "keywords", null, null, null, true));
    }

    static void members(Object receiver, List<Candidate> out) {
        Set<String> seen = members(InvokerHelper.getMetaClass(receiver), out);
        if (receiver instanceof Map<?, ?> map) {
            for (Object k : map.keySet()) {
                if (k instanceof String s && s.matches("[A-Za-z_$][\\w$]*") && seen.add(s)) {
                    out.add(new Candidate(s, s, "keys", null, null, null, true));
                }
            }
        }
    }

    /** The members of a type, when only the type of the expression is known ({@code m.console().}). */
    static void members(Class<?> type, List<Candidate> out) {
        Set<String> seen = members(groovy.lang.GroovySystem.getMetaClassRegistry().getMetaClass(type), out);
        // an interface's meta-class (List, Map) leaves out the interface's own methods
        for (java.lang.reflect.Method m : type.getMethods()) {
            if (HIDDEN_METHODS.contains(m.getName()) || m.getName().contains("$")) continue;
            boolean noArgs = m.getParameterCount() == 0;
            String value = m.getName() + (noArgs ? "()" : "(");
            if (seen.add(value)) out.add(new Candidate(value, value, "methods", null, null, null, noArgs));
        }
    }

    private static Set<String> members(MetaClass mc, List<Candidate> out) {
        Set<String> seen = new TreeSet<>();
        List<MetaMethod> methods = new ArrayList<>(mc.getMethods());
        methods.addAll(mc.getMetaMethods());
        for (MetaMethod mm : methods) {
            if (!Modifier.isPublic(mm.getModifiers()) || HIDDEN_METHODS.contains(mm.getName())
                    || mm.getName().contains("$") || mm.getName().startsWith("<")) {
                continue;
            }
            boolean noArgs = mm.getParameterTypes().length == 0;
            String value = mm.getName() + (noArgs ? "()" : "(");
            if (seen.add(value)) {
                out.add(new Candidate(value, value, "methods", null, null, null, noArgs));
            }
        }
        for (MetaProperty p : mc.getProperties()) {
            if (p.getName().equals("class") || p.getName().equals("metaClass")) continue;
            if (seen.add(p.getName())) out.add(new Candidate(p.getName(), p.getName(), "properties", null, null, null, true));
        }
        return seen;
    }
}
