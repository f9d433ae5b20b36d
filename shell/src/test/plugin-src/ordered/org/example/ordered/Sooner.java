package org.example.ordered;

import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;
import org.pf4j.Extension;

import java.util.List;

/** A command that only has a name and 1 ordinal (PluginHostTest: extensions sorted by ordinal). */
@Extension(ordinal = 1)
public class Sooner implements ShellCommand {
    @Override public String name() { return "sooner"; }

    @Override public String description() { return "ordinal 1 (test)"; }

    @Override public void execute(ShellContext context, List<String> args) {}
}
