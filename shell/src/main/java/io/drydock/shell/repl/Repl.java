package io.drydock.shell.repl;

import io.drydock.shell.Session;
import io.drydock.shell.groovy.ScriptError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interactive shell: a JLine line editor over one {@link Session}. Each input runs on a worker thread
 * while this thread waits; Ctrl-C interrupts the worker (Groovy loops, sleeps and machine waits stop), and
 * a second Ctrl-C gives up on an evaluation that ignores interrupts, leaving it running in the background.
 * Ctrl-D or {@code :quit} leaves.
 */
public final class Repl {
    private static final Logger log = LoggerFactory.getLogger(Repl.class);
    static final String SCRIPT_NAME = "<shell>";

    private final Session session;
    private final Terminal terminal;
    private final LineReader reader;
    private final PrintWriter out;

    private volatile Thread worker;
    private final AtomicInteger interrupts = new AtomicInteger();

    /**
     * @param history the history file (created when missing), or null for none
     */
    public Repl(Session session, Terminal terminal, Path history) {
        this.session = session;
        this.terminal = terminal;
        this.out = terminal.writer();
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("drydock")
                .parser(new ReplParser())
                .completer(new ReplCompleter(session))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P....> ")
                .variable(LineReader.INDENTATION, 4)
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10000)
                // "!" is Groovy's not; no history expansion of it.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.CASE_INSENSITIVE, false);
        if (history != null) b.variable(LineReader.HISTORY_FILE, history);
        this.reader = b.build();
        session.consoleTerminal(new JLineConsoleTerminal(terminal)); // m.console().attach()
    }

    /** Reads and runs input until Ctrl-D, end of input or {@code :quit}. */
    public void run() {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> interruptEvaluation());
        try {
            while (!session.quitRequested()) {
                String input;
                try {
                    input = reader.readLine("drydock> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt drops the line
                } catch (EndOfFileException e) {
                    break;
                }
                if (input.isBlank()) continue;
                evaluate(input);
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                log.warn("cannot save history: {}", e.getMessage());
            }
        }
    }

    /**
     * What Ctrl-C does while code runs: interrupt the evaluation; the second time, stop waiting for it.
     * Safe from any thread.
     */
    public void interruptEvaluation() {
        Thread w = worker;
        if (w == null) return;
        if (interrupts.incrementAndGet() == 1) {
            w.interrupt();
        } else {
            worker = null;
            synchronized (this) { notifyAll(); }
        }
    }

    /** Runs one input on a fresh worker thread and prints its value or error. */
    void evaluate(String input) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        interrupts.set(0);
        Thread t = Thread.ofPlatform().name("drydock-eval").daemon().stackSize(16L << 20).unstarted(() -> {
            try {
                result[0] = session.run(input, SCRIPT_NAME);
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                synchronized (this) { notifyAll(); }
            }
        });
        worker = t;
        t.start();
        synchronized (this) {
            while (t.isAlive() && worker == t) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    t.interrupt();
                }
            }
        }
        if (worker != t) {
            printError(styled("abandoned: the evaluation ignores interrupts and keeps running in the background", YELLOW));
            return;
        }
        worker = null;
        session.out().flush();
        if (failure[0] instanceof ScriptError e) {
            showError(e, input.contains("\n"));
        } else if (failure[0] != null) {
            log.debug("evaluation failed", failure[0]);
            printError(styled("error: " + failure[0], RED));
        } else {
            String shown = Session.render(result[0]);
            if (result[0] != null) session.setVariable("_", result[0]);
            if (shown != null) {
                out.println(shown);
                out.flush();
            }
        }
    }

    private void showError(ScriptError e, boolean multiLine) {
        if (e.interrupted()) {
            printError(styled("interrupted", YELLOW));
            return;
        }
        String where = e.script().equals(SCRIPT_NAME)
                ? (multiLine && e.line() > 0 ? "line " + e.line() + ": " : "")
                : e.script() + (e.line() > 0 ? ":" + e.line() : "") + ": ";
        String msg = e.getMessage();
        printError(styled("error: " + where + msg, RED));
        if (e.sourceLine() != null && (multiLine || !e.script().equals(SCRIPT_NAME))) {
            printError(styled("  | " + e.sourceLine().strip(), FAINT));
        }
        if (e.frames().size() > 1) {
            for (ScriptError.Frame f : e.frames()) printError(styled("  at " + f, FAINT));
        }
    }

    private static final AttributedStyle RED = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle YELLOW = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle FAINT = AttributedStyle.DEFAULT.faint();

    private static AttributedString styled(String text, AttributedStyle style) {
        return new AttributedStringBuilder().style(style).append(text).toAttributedString();
    }

    private void printError(AttributedString s) {
        out.println(s.toAnsi(terminal));
        out.flush();
    }
}
