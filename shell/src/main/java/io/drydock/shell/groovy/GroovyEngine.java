package io.drydock.shell.groovy;

import groovy.lang.Binding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyRuntimeException;
import groovy.lang.GroovyShell;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The one seam between the shell and Groovy: a persistent session that compiles and runs chunks of source
 * against one {@link Binding}. Variables, methods and imports of a chunk stay for the next ones (see
 * {@link InterpreterMode}); loops and closures check for interruption, so Ctrl-C (an interrupt of the
 * evaluating thread) stops even {@code while (true) {}}; failures come back as {@link ScriptError}s
 * located in the user's source.
 *
 * <p>One evaluation at a time: the shell calls {@link #evaluate} from one thread (its worker), though not
 * always the same thread.
 */
public final class GroovyEngine {
    /** Script classes are named {@code drydock_N}: unique, and easy to recognise in stack traces. */
    private static final String CLASS_PREFIX = "drydock_";
    private static final Pattern CLASS_NAME = Pattern.compile(CLASS_PREFIX + "\\d+(\\$[\\w$]*)?");

    private final Binding binding;
    private final GroovyShell shell;
    private final ImportCustomizer imports = new ImportCustomizer();
    private final Set<String> knownImports = new LinkedHashSet<>();
    private final List<ImportNode> pendingImports = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    /** drydock_N → (script name, source as compiled), to place frames of earlier chunks too. */
    private final Map<String, Chunk> chunks = new ConcurrentHashMap<>();

    private record Chunk(String script, String source) {}

    /**
     * @param parent  sees the shell and every plugin (scripts may use plugin classes)
     * @param binding the session's variables
     */
    public GroovyEngine(ClassLoader parent, Binding binding) {
        this.binding = binding;
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(DrydockScript.class.getName());
        imports.addStarImports("io.drydock.kernel.machine", "io.drydock.kernel.bus", "io.drydock.kernel.memory",
                "io.drydock.kernel.metrics", "java.time", "java.nio.file");
        config.addCompilationCustomizers(
                new InterpreterMode(pendingImports::add),
                new DurationText(),
                imports,
                new ASTTransformationCustomizer(ThreadInterrupt.class));
        this.shell = new GroovyShell(parent, binding, config);
    }

    public Binding binding() { return binding; }

    /** The class loader scripts are compiled with (it also holds classes the user defined). */
    public ClassLoader classLoader() { return shell.getClassLoader(); }

    /**
     * Compiles and runs {@code source}.
     *
     * @param script    the name errors are reported against: a file name, "-e", "&lt;shell&gt;"
     * @param firstLine the line of {@code script} where {@code source} starts (1 for a whole file)
     * @return the value of the last statement, or null
     */
    public Object evaluate(String source, String script, int firstLine) throws ScriptError {
        String className = CLASS_PREFIX + counter.incrementAndGet();
        // Blank lines in front keep line numbers those of the file when a script runs in chunks.
        String padded = "\n".repeat(Math.max(0, firstLine - 1)) + source;
        chunks.put(className, new Chunk(script, padded));
        Script compiled;
        pendingImports.clear();
        try {
            Class<?> cls = shell.getClassLoader().parseClass(new GroovyCodeSource(padded, className + ".groovy", "/groovy/shell"), false);
            if (!Script.class.isAssignableFrom(cls)) { // only class definitions: nothing to run
                keepImports();
                return null;
            }
            compiled = InvokerHelper.createScript(cls, binding);
        } catch (MultipleCompilationErrorsException e) {
            throw compileError(e, script, padded);
        } catch (GroovyRuntimeException e) {
            throw runtimeError(e, script, padded);
        }
        try {
            Object result = compiled.run();
            keepImports();
            return result;
        } catch (Throwable e) {
            keepImports(); // statements before the failure ran; their imports are in effect for the user
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) throw (VirtualMachineError) e;
            throw runtimeError(e, script, padded);
        }
    }

    private void keepImports() {
        for (ImportNode i : pendingImports) {
            String key = (i.isStatic() ? "static " : "") + i.getText();
            if (!knownImports.add(key)) continue;
            if (i.isStatic() && i.isStar()) imports.addStaticStars(i.getClassName());
            else if (i.isStatic()) imports.addStaticImport(i.getAlias(), i.getClassName(), i.getFieldName());
            else if (i.isStar()) imports.addStarImports(i.getPackageName().replaceAll("\\.$", ""));
            else imports.addImport(i.getAlias(), i.getClassName());
        }
        pendingImports.clear();
    }

    private ScriptError compileError(MultipleCompilationErrorsException e, String script, String source) {
        Message first = e.getErrorCollector().getErrorCount() > 0 ? e.getErrorCollector().getError(0) : null;
        if (first instanceof SyntaxErrorMessage s) {
            SyntaxException se = s.getCause();
            String msg = clean(se.getOriginalMessage());
            return new ScriptError(script, se.getLine(), msg, lineOf(source, se.getLine()), List.of(), true, e);
        }
        if (first instanceof ExceptionMessage em) {
            return new ScriptError(script, 0, describe(em.getCause()), null, List.of(), true, e);
        }
        return new ScriptError(script, 0, clean(e.getMessage()), null, List.of(), true, e);
    }

    private ScriptError runtimeError(Throwable e, String script, String source) {
        Throwable t = e;
        while ((t instanceof InvokerInvocationException || t instanceof java.lang.reflect.InvocationTargetException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        List<ScriptError.Frame> frames = new ArrayList<>();
        Chunk top = null;
        for (StackTraceElement el : t.getStackTrace()) {
            String cls = el.getClassName();
            int dollar = cls.indexOf('$');
            Chunk chunk = chunks.get(dollar < 0 ? cls : cls.substring(0, dollar));
            if (chunk == null || el.getLineNumber() <= 0) continue;
            String where = el.getMethodName().equals("run") && dollar < 0 ? ""
                    : el.getMethodName().equals("doCall") ? "closure" : el.getMethodName();
            ScriptError.Frame f = new ScriptError.Frame(chunk.script(), el.getLineNumber(), where);
            if (top == null) top = chunk;
            if (frames.isEmpty() || !frames.getLast().equals(f)) frames.add(f);
        }
        String where = script;
        int line = 0;
        String text = null;
        if (top != null) {
            where = top.script();
            line = frames.getFirst().line();
            text = lineOf(top.source(), line);
        }
        return new ScriptError(where, line, describe(t), text, frames, false, e);
    }

    /** A message for the user: the exception's own for the kinds whose messages say it all, else "Type: message". */
    static String describe(Throwable t) {
        String msg = t.getMessage();
        if (t instanceof InterruptedException || (msg != null && t instanceof RuntimeException
                && t.getCause() instanceof InterruptedException)) {
            return "interrupted";
        }
        if (msg == null || msg.isBlank()) return t.getClass().getSimpleName();
        msg = clean(msg);
        boolean selfExplaining = t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof MissingPropertyException || t instanceof MissingMethodException
                || t.getClass().getName().startsWith("io.drydock.");
        return selfExplaining ? msg : t.getClass().getSimpleName() + ": " + msg;
    }

    /** Drops the generated class names from Groovy's messages ("No such property: x for class: drydock_3"). */
    static String clean(String msg) {
        String m = msg.replaceAll("\\s*for class: " + CLASS_NAME.pattern(), "");
        m = m.replaceAll(CLASS_NAME.pattern() + "\\.", "");
        m = m.replaceAll("(?m)^\\s*@ line \\d+, column \\d+\\.\\s*$", "").strip();
        m = m.replaceAll(CLASS_NAME.pattern() + "\\.groovy: \\d+: ", "");
        return m;
    }

    private static String lineOf(String source, int line) {
        if (line <= 0) return null;
        List<String> lines = source.lines().toList();
        return line <= lines.size() ? lines.get(line - 1) : null;
    }
}
