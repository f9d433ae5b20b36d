package io.drydock.shell.repl;

import groovy.lang.GroovySystem;
import groovy.lang.MetaClass;
import groovy.lang.MetaMethod;
import groovy.lang.MetaProperty;
import io.drydock.shell.groovy.DrydockScript;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * What the expression before a completion dot is, without running anything that has parentheses: the
 * value of a variable and of a chain of its properties (as before), and from the first call on, the
 * declared return type of the method — so {@code m.console().} completes a console's members and
 * {@code hart(0).} an inspector's. String, list and map literals and {@code (expr).} work too.
 *
 * <p>Used on JLine's reading thread while no evaluation runs.
 */
final class ReceiverTypes {
    /** A known value, or only its type. */
    record Receiver(Object value, Class<?> type) {}

    private final Function<String, Object> variables;

    /** @param variables the session's variable by name, or null */
    ReceiverTypes(Function<String, Object> variables) { this.variables = variables; }

    /** The receiver of {@code before}, which ends with the dot; null when unknown. */
    Receiver resolve(String before) {
        if (!before.endsWith(".")) return null;
        int end = before.length() - 1;
        if (end > 0 && before.charAt(end - 1) == '?') end--;
        int start = start(before, end);
        if (start < 0 || start == end) return null;
        try {
            return expression(before.substring(start, end));
        } catch (RuntimeException | LinkageError e) {
            return null; // completion never fails the prompt
        }
    }

    /** Where the expression ending at {@code end} begins (walking back over names, dots, calls, literals). */
    private static int start(String s, int end) {
        int i = end;
        while (i > 0) {
            char c = s.charAt(i - 1);
            if (c == ')' || c == ']' || c == '}') {
                i = openingOf(s, i - 1);
                if (i < 0) return -1;
                if (c == '}') { // a closure argument: "name { ... }" or "name(x) { ... }"
                    int j = i;
                    while (j > 0 && s.charAt(j - 1) == ' ') j--;
                    if (j > 0 && (Character.isJavaIdentifierPart(s.charAt(j - 1)) || s.charAt(j - 1) == ')')) i = j;
                }
            } else if (Character.isJavaIdentifierPart(c)) {
                while (i > 0 && Character.isJavaIdentifierPart(s.charAt(i - 1))) i--;
                if (!dotBefore(s, i)) break;
                i = i - 1 - (i > 1 && s.charAt(i - 2) == '?' ? 1 : 0);
            } else if (c == '\'' || c == '"') {
                int q = s.lastIndexOf(c, i - 2);
                if (q < 0) return -1;
                i = q;
                if (!dotBefore(s, i)) break;
                i--;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean dotBefore(String s, int i) { return i > 0 && s.charAt(i - 1) == '.'; }

    /** The index of the bracket that {@code close} closes, or -1 (quotes skipped). */
    private static int openingOf(String s, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int q = s.lastIndexOf(c, i - 1);
                if (q < 0) return -1;
                i = q;
            } else if (c == ')' || c == ']' || c == '}') {
                depth++;
            } else if (c == '(' || c == '[' || c == '{') {
                if (--depth == 0) return i;
            }
        }
        return -1;
    }

    /** The closing bracket of the one opening at {@code open}, or -1. */
    private static int closingOf(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int q = s.indexOf(c, i + 1);
                if (q < 0) return -1;
                i = q;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) return i;
            }
        }
        return -1;
    }

    private Receiver expression(String e) {
        int pos;
        Receiver r;
        char first = e.charAt(0);
        if (first == '\'' || first == '"') {
            pos = e.indexOf(first, 1) + 1;
            r = new Receiver(null, String.class);
        } else if (first == '(') {
            pos = closingOf(e, 0) + 1;
            r = resolve(e.substring(1, pos - 1).strip() + ".");
        } else if (first == '[') {
            pos = closingOf(e, 0) + 1;
            r = new Receiver(null, topLevel(e.substring(1, pos - 1), ':') ? LinkedHashMap.class : ArrayList.class);
        } else {
            int n = name(e, 0);
            String name = e.substring(0, n);
            int[] call = call(e, n);
            pos = call[0];
            if (call[1] < 0) {
                Object v = variables.apply(name);
                r = v == null ? null : new Receiver(v, v.getClass());
            } else {
                Object fn = variables.apply(name);
                Class<?> t = fn != null ? returnType(fn.getClass(), "call", call[1]) : returnType(DrydockScript.class, name, call[1]);
                r = t == null ? null : new Receiver(null, t);
            }
        }
        while (r != null && pos > 0 && pos < e.length()) {
            char c = e.charAt(pos);
            if (c == '?' && pos + 1 < e.length() && e.charAt(pos + 1) == '.') pos++;
            else if (c != '.') return null; // an index or an operator: not followed
            int n = name(e, pos + 1);
            String member = e.substring(pos + 1, n);
            int[] call = call(e, n);
            pos = call[0];
            r = call[1] < 0 ? property(r, member) : new Receiver(null, returnType(r.type(), member, call[1]));
            if (r != null && r.type() == null) r = null;
        }
        return r;
    }

    private static int name(String e, int from) {
        int i = from;
        while (i < e.length() && Character.isJavaIdentifierPart(e.charAt(i))) i++;
        return i;
    }

    /** {end, argument count} of a call at {@code at} ("(a, b)", "(a) { }", "{ }"), or {at, -1} when none. */
    private static int[] call(String e, int at) {
        int args = -1;
        int i = at;
        if (i < e.length() && e.charAt(i) == '(') {
            int close = closingOf(e, i);
            String inside = e.substring(i + 1, close).strip();
            args = inside.isEmpty() ? 0 : count(inside, ',') + 1;
            i = close + 1;
        }
        while (i < e.length() && e.charAt(i) == ' ') i++;
        if (i < e.length() && e.charAt(i) == '{') {
            args = Math.max(args, 0) + 1;
            i = closingOf(e, i) + 1;
        }
        return args < 0 ? new int[]{at, -1} : new int[]{i, args};
    }

    private static int count(String s, char ch) {
        int n = 0;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') i = Math.max(i, s.indexOf(c, i + 1));
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == ch && depth == 0) n++;
        }
        return n;
    }

    private static boolean topLevel(String s, char ch) { return count(s, ch) > 0; }

    private static Receiver property(Receiver r, String name) {
        if (r.value() != null) {
            Object v = InvokerHelper.getProperty(r.value(), name); // a getter, as completion always did
            return v == null ? null : new Receiver(v, v.getClass());
        }
        MetaProperty p = metaClass(r.type()).getMetaProperty(name);
        return p == null ? null : new Receiver(null, p.getType());
    }

    /** The return type of {@code type}'s method {@code name} taking {@code args} arguments, or null. */
    static Class<?> returnType(Class<?> type, String name, int args) {
        MetaClass mc = metaClass(type);
        List<MetaMethod> all = new ArrayList<>(mc.getMethods());
        all.addAll(mc.getMetaMethods());
        Class<?> found = null;
        for (java.lang.reflect.Method m : type.getMethods()) { // an interface's meta-class lacks its own methods
            if (m.getName().equals(name) && (m.getParameterCount() == args || m.isVarArgs() && args >= m.getParameterCount() - 1)
                    && m.getReturnType() != void.class && (found == null || found == Object.class)) {
                found = m.getReturnType();
            }
        }
        for (MetaMethod m : all) {
            if (!m.getName().equals(name)) continue;
            int n = m.getParameterTypes().length;
            if (n != args && !(m.isVargsMethod() && args >= n - 1)) continue;
            Class<?> t = m.getReturnType();
            if (t == void.class || t == Void.class) continue;
            if (found == null || found == Object.class) found = t;
        }
        return found;
    }

    private static MetaClass metaClass(Class<?> type) { return GroovySystem.getMetaClassRegistry().getMetaClass(type); }
}
