package org.example.ordered;

import io.drydock.kernel.spi.ShellCommand;
import io.drydock.kernel.spi.ShellContext;

import java.util.List;

/** A command that only has a name and no ordinal (PluginHostTest: extensions sorted by ordinal). */
public class Plain implements ShellCommand {
    @Override public String name() { return "plain"; }

    @Override public String description() { return "ordinal 0 (test)"; }

    @Override public void execute(ShellContext context, List<String> args) {}
}
