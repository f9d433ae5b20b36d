package io.drydock.shell;

import io.drydock.shell.groovy.InputCompleteness;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a script into Groovy code and colon commands, so {@code :plugins} or {@code :log bus debug} work
 * in files and {@code -e} as they do at the prompt. A line starting with {@code :name} is a command when
 * the code before it is a complete statement; inside an unfinished one ({@code a ?\n : b}) it is code.
 */
record SourceChunks(List<Chunk> chunks) {
    /** A piece of a script: code or one command line, starting at {@code firstLine} (1-based). */
    record Chunk(boolean command, String text, int firstLine) {}

    private static final Pattern COMMAND = Pattern.compile("^\\s*:[A-Za-z].*");

    static boolean isCommand(String line) { return COMMAND.matcher(line).matches(); }

    static SourceChunks split(String source) {
        List<Chunk> out = new ArrayList<>();
        List<String> lines = source.lines().toList();
        if (lines.stream().noneMatch(SourceChunks::isCommand)) { // the common case: no parsing needed
            return new SourceChunks(source.isBlank() ? List.of() : List.of(new Chunk(false, source, 1)));
        }
        StringBuilder code = new StringBuilder();
        int codeStart = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isCommand(line) && (code.toString().isBlank() || InputCompleteness.isComplete(code.toString()))) {
                if (!code.toString().isBlank()) out.add(new Chunk(false, code.toString(), codeStart));
                out.add(new Chunk(true, line.strip(), i + 1));
                code.setLength(0);
                codeStart = i + 2;
            } else {
                code.append(line).append('\n');
            }
        }
        if (!code.toString().isBlank()) out.add(new Chunk(false, code.toString(), codeStart));
        return new SourceChunks(out);
    }

    /**
     * Splits a command line into words; single or double quotes group words with spaces, a backslash
     * escapes the next character.
     */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unclosed quote " + quote);
        if (inWord) out.add(w.toString());
        return out;
    }
}
