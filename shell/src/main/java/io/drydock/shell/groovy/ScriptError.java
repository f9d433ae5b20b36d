package io.drydock.shell.groovy;

import java.util.List;

/**
 * A failed evaluation, located in the user's source: which script (a file name, {@code -e}, {@code <shell>}),
 * which line, a short message, and the stack frames that lie in user scripts (Groovy's own frames are
 * dropped). Script mode prints {@link #oneLine()}; the REPL prints the line, the source text and the frames.
 */
public final class ScriptError extends Exception {
    /** A stack frame in user code: script name, line, and the method or closure it was in. */
    public record Frame(String script, int line, String where) {
        @Override public String toString() { return script + ":" + line + (where.isEmpty() ? "" : " (" + where + ")"); }
    }

    private final String script;
    private final int line;
    private final String sourceLine;
    private final List<Frame> frames;
    private final boolean compileError;

    ScriptError(String script, int line, String message, String sourceLine, List<Frame> frames, boolean compileError,
                Throwable cause) {
        super(message, cause);
        this.script = script;
        this.line = line;
        this.sourceLine = sourceLine;
        this.frames = List.copyOf(frames);
        this.compileError = compileError;
    }

    /** An error that is not Groovy's: a failed colon command, a missing file. */
    public static ScriptError of(String script, int line, String message, Throwable cause) {
        return new ScriptError(script, line, message, null, List.of(), false, cause);
    }

    /** The script name the error is reported against (the evaluation's, or the script a frame came from). */
    public String script() { return script; }

    /** 1-based, or 0 when unknown. */
    public int line() { return line; }

    /** The text of that line, or null. */
    public String sourceLine() { return sourceLine; }

    public List<Frame> frames() { return frames; }

    /** A syntax or compilation error (nothing ran), as opposed to an exception at run time. */
    public boolean compileError() { return compileError; }

    /** True when the evaluation was interrupted (Ctrl-C). */
    public boolean interrupted() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** {@code FILE:LINE: message}, the first line of the message only. */
    public String oneLine() {
        String msg = getMessage().lines().findFirst().orElse("");
        return script + (line > 0 ? ":" + line : "") + ": " + msg;
    }
}
