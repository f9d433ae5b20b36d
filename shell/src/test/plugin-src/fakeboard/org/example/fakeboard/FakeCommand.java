package org.example.fakeboard;

import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;

import java.util.List;

/** {@code :fake A B} prints "fake ran with [A, B]". */
public class FakeCommand implements ShellCommand {
    @Override public String name() { return "fake"; }

    @Override public String description() { return "a plugin's command (test)"; }

    @Override public String usage() { return "[ARGS]"; }

    @Override public void execute(ShellContext context, List<String> args) {
        context.out().println("fake ran with " + args);
    }

    @Override public List<String> complete(ShellContext context, List<String> argsSoFar) {
        return List.of("alpha", "beta");
    }
}
