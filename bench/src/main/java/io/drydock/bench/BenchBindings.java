package io.drydock.bench;

import io.drydock.bench.progress.ProgressReporter;
import io.drydock.kernel.spi.ScriptBinding;
import io.drydock.kernel.spi.ShellContext;
import org.jline.terminal.Terminal;
import org.pf4j.Extension;

import java.util.Map;

/**
 * Adds {@code bench}, {@code sweep} and {@code progress} to every Groovy session. The shell finds it as a
 * system extension (META-INF/extensions.idx on the application class path) like any plugin's.
 *
 * <p>Progress goes to the terminal's status line when the session is interactive and the shell has put its
 * JLine {@link Terminal} in the session variable {@value #TERMINAL_VARIABLE}; otherwise plain lines go to
 * the session's output. Tables go to the session's output.
 */
@Extension
public final class BenchBindings implements ScriptBinding {
    /** The session variable in which the shell may offer its JLine Terminal. */
    public static final String TERMINAL_VARIABLE = "terminal";

    @Override
    public Map<String, Object> bindings(ShellContext context) {
        ProgressReporter reporter = context.interactive() && context.variable(TERMINAL_VARIABLE) instanceof Terminal t
                ? ProgressReporter.forTerminal(t)
                : ProgressReporter.forWriter(context.out());
        return new BenchSession(reporter, context.out(), BenchSession.defaultRoot()).bindings();
    }

    @Override
    public Map<String, String> help() { return BenchSession.help(); }
}
