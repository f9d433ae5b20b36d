package io.drydock.shell.groovy;

import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.ErrorCollector;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;

/**
 * Decides whether typed input is a whole statement or needs more lines (the REPL's continuation prompt),
 * like JShell's {@code analyzeCompletion}. First the Groovy parser: input that parses is complete, and a
 * syntax error at the end of input ({@code '<EOF>'}) means it is not. The parser's messages for other
 * unfinished input ({@code foo(1,}, {@code 'abc}, {@code x = 1 +}) point at the opening token instead,
 * so a small scanner decides those: unclosed brackets, strings or block comments, or a line that ends
 * in an operator, a comma, a dot or a backslash, continue on the next line. Anything else is complete
 * and its syntax error is reported when it is evaluated.
 */
public final class InputCompleteness {
    private InputCompleteness() {}

    public static boolean isComplete(String source) {
        if (source.isBlank()) return true;
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
        unit.addSource("input.groovy", source);
        try {
            unit.compile(Phases.CONVERSION);
            return true;
        } catch (MultipleCompilationErrorsException e) {
            ErrorCollector errors = e.getErrorCollector();
            if (errors.getErrorCount() > 0 && errors.getError(0) instanceof SyntaxErrorMessage s
                    && s.getCause().getOriginalMessage().contains("<EOF>")) {
                return false;
            }
            return !unfinished(source);
        } catch (RuntimeException e) {
            return true; // the parser failed in some other way: let evaluation report it
        }
    }

    /** True when brackets, strings or comments are open, or the last token continues an expression. */
    static boolean unfinished(String s) {
        int depth = 0;
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) return true;
                i = end + 2;
            } else if (c == '\'' || c == '"') {
                boolean triple = s.startsWith(String.valueOf(c).repeat(3), i);
                int end = endOfString(s, i + (triple ? 3 : 1), c, triple);
                if (end < 0) return true;
                i = end;
            } else {
                if (c == '(' || c == '[' || c == '{') depth++;
                if (c == ')' || c == ']' || c == '}') depth--;
                i++;
            }
        }
        if (depth > 0) return true;
        String t = stripLineComment(s).stripTrailing();
        if (t.isEmpty()) return false;
        char last = t.charAt(t.length() - 1);
        // "x++" and "x--" parse, so they never get here; a trailing operator means more is coming.
        return "+-*/%=&|^<>!?:,.\\~".indexOf(last) >= 0;
    }

    /** Index after the closing quote, or -1 when the string is not closed. */
    private static int endOfString(String s, int i, char quote, boolean triple) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote && (!triple || s.startsWith(String.valueOf(quote).repeat(3), i))) {
                return i + (triple ? 3 : 1);
            } else if (c == '\n' && !triple) {
                return -1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static String stripLineComment(String s) {
        int nl = s.lastIndexOf('\n');
        String lastLine = s.substring(nl + 1);
        int slash = lastLine.indexOf("//");
        return slash < 0 ? s : s.substring(0, nl + 1 + slash);
    }
}
