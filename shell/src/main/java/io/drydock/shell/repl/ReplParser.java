package io.drydock.shell.repl;

import io.drydock.shell.groovy.InputCompleteness;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

import java.util.ArrayList;
import java.util.List;

/**
 * JLine's view of what is typed. On Enter ({@link ParseContext#ACCEPT_LINE}) an unfinished Groovy statement
 * throws {@link EOFError}, which makes JLine insert a newline and keep reading (the continuation prompt);
 * two empty lines in a row accept the input anyway, so a mistake can always be sent and seen. For
 * completion it finds the word at the cursor: a whitespace word in a colon command, otherwise the
 * identifier being typed (after the last dot, for members).
 */
final class ReplParser implements Parser {
    @Override public ParsedLine parse(String line, int cursor, ParseContext context) {
        boolean command = line.stripLeading().startsWith(":");
        if (context == ParseContext.ACCEPT_LINE && !command && !line.endsWith("\n\n")
                && !InputCompleteness.isComplete(line)) {
            throw new EOFError(-1, -1, "incomplete statement");
        }
        return command ? commandLine(line, cursor) : groovyLine(line, cursor);
    }

    /** A colon command: words split at whitespace. */
    static Line commandLine(String line, int cursor) {
        List<String> words = new ArrayList<>();
        int wordIndex = -1, wordCursor = 0;
        int i = 0, n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) i++;
            if (cursor >= start && cursor <= i) {
                wordIndex = words.size();
                wordCursor = cursor - start;
            }
            words.add(line.substring(start, i));
        }
        if (wordIndex < 0) { // the cursor is in whitespace: a new, empty word
            int before = 0;
            for (String w : words) if (line.indexOf(w) < cursor) before++;
            words.add(before, "");
            wordIndex = before;
        }
        return new Line(line, cursor, words, wordIndex, wordCursor);
    }

    /** Groovy code: the word is the identifier the cursor is in; what precedes it is one more word. */
    static Line groovyLine(String line, int cursor) {
        int start = cursor;
        while (start > 0 && Character.isJavaIdentifierPart(line.charAt(start - 1))) start--;
        int end = cursor;
        while (end < line.length() && Character.isJavaIdentifierPart(line.charAt(end))) end++;
        List<String> words = List.of(line.substring(0, start), line.substring(start, end));
        return new Line(line, cursor, words, 1, cursor - start);
    }

    /**
     * A parsed line; {@link #word()} is the word the cursor is in. Words are taken as typed (no quoting or
     * escapes to undo), so the raw word is the word and candidates are inserted unchanged.
     */
    record Line(String line, int cursor, List<String> words, int wordIndex, int wordCursor) implements CompletingParsedLine {
        @Override public String word() { return words.get(wordIndex); }

        @Override public CharSequence escape(CharSequence candidate, boolean complete) { return candidate; }

        @Override public int rawWordCursor() { return wordCursor; }

        @Override public int rawWordLength() { return word().length(); }

        /** Everything before the current word. */
        String before() { return line.substring(0, cursor - wordCursor); }
    }
}
